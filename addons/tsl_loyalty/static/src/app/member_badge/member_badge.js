import { Component } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/store/pos_hook";
import { _t } from "@web/core/l10n/translation";

/**
 * The member badge (L12): tier, grade, points, the birthday / special-day
 * flag and whether the month's benefit is still available, open vouchers,
 * deposits waiting for pickup. With an order: the points it will earn.
 */
export class TslMemberBadge extends Component {
    static template = "tsl_loyalty.MemberBadge";
    static props = {
        partner: { type: [Object, { value: null }, { value: false }], optional: true },
        order: { type: Object, optional: true },
    };

    setup() {
        this.pos = usePos();
    }

    get partner() {
        return this.props.partner?.tsl_member_state ? this.props.partner : null;
    }

    get enrolment() {
        return !this.partner && this.props.order ? this.props.order.tslEnrolment : null;
    }

    get pendingText() {
        return _t("New member %(name)s: card %(card)s, created when the order syncs", {
            name: this.enrolment.values?.name || "",
            card: this.enrolment.card_number || "",
        });
    }

    get voucherCount() {
        const used = new Set(
            (this.props.order?.tslVoucherLines || []).map((line) => line.tsl_voucher_id.id)
        );
        return this.pos.tslMemberVouchers(this.partner).filter((v) => !used.has(v.id)).length;
    }
}
