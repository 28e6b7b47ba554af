import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";

patch(ControlButtons.prototype, {
    get tslMember() {
        const partner = this.currentOrder?.get_partner();
        return partner?.tsl_member_state ? partner : null;
    },
    /** The birthday extra discount, once a month: the server has the last word. */
    tslClickBirthday() {
        const order = this.currentOrder;
        if (order.tsl_birthday_benefit) {
            order.tslCancelBirthdayBenefit();
            return;
        }
        if (!this.tslMember.tsl_benefit_available) {
            this.dialog.add(AlertDialog, {
                title: _t("Birthday benefit not available"),
                body: _t(
                    "%s has no birthday or special day this month, or has already used this month's benefit.",
                    this.tslMember.name
                ),
            });
            return;
        }
        if (!order.tslApplyBirthdayBenefit()) {
            this.notification.add(_t("The member's tier has no birthday pricelist."), {
                type: "warning",
            });
        }
    },
});
