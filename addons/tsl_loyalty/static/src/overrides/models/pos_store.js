import { PosStore } from "@point_of_sale/app/store/pos_store";
import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { TslEnrolPopup } from "@tsl_loyalty/app/enrol_popup/enrol_popup";
import { TslVoucherPopup } from "@tsl_loyalty/app/voucher_popup/voucher_popup";

export const TSL_SEARCH_LIMIT = 20;

patch(PosStore.prototype, {
    /** Members for a phone, member number, card or name prefix (server, a page). */
    async tslSearchMembers(query, offset = 0) {
        const result = await this.data.callRelated(
            "res.partner",
            "tsl_pos_search",
            [query, this.config.id, offset, TSL_SEARCH_LIMIT],
            {},
            false
        );
        return result["res.partner"] || [];
    },
    /** Fresh points, benefit and vouchers of the member (by her number). */
    async tslRefreshBadge(partner) {
        if (!partner?.tsl_member_number || this.data.network.offline) {
            return;
        }
        try {
            await this.tslSearchMembers(partner.tsl_member_number);
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
        }
    },
    tslMemberVouchers(partner) {
        const today = luxon.DateTime.now().toISODate();
        return this.models["tsl.voucher"].filter(
            (voucher) =>
                voucher.partner_id?.id === partner?.id &&
                voucher.state === "open" &&
                (!voucher.date_to || voucher.date_to >= today)
        );
    },
    /** A temporary card number the till issues while offline. */
    tslOfflineCardNumber() {
        const day = luxon.DateTime.now().toFormat("yyMMdd");
        const key = `tsl_offline_card_${this.config.id}_${day}`;
        const next = parseInt(localStorage.getItem(key) || "0") + 1;
        localStorage.setItem(key, String(next));
        return `T${String(this.config.id).padStart(3, "0")}${day}${String(next).padStart(2, "0")}`;
    },
    /**
     * Enrol a new member (M2). Online the server checks the form and issues
     * the member number at once; offline the form is queued with the order
     * and the member is created when the order syncs.
     */
    async tslEnrolMember() {
        const order = this.get_order();
        if (!order) {
            return;
        }
        const result = await makeAwaitable(this.dialog, TslEnrolPopup, {
            submit: (values) => this.tslSubmitEnrolment(order, values),
        });
        if (result?.partner) {
            order.set_partner(result.partner);
            this.notification.add(
                _t("%(name)s is enrolled: temporary card %(number)s.", {
                    name: result.partner.name,
                    number: result.partner.tsl_member_number,
                }),
                { type: "success" }
            );
        } else if (result?.queued) {
            this.notification.add(
                _t(
                    "Offline: the enrolment of %(name)s is queued with the order (temporary card %(number)s). The member is created when the order syncs.",
                    { name: result.values.name, number: result.cardNumber }
                ),
                { type: "warning" }
            );
        }
        return result;
    },
    /** Called by the popup: resolves with the result, or throws the server's error. */
    async tslSubmitEnrolment(order, values) {
        if (!this.data.network.offline) {
            try {
                const data = await this.data.callRelated(
                    "res.partner",
                    "tsl_pos_enrol",
                    [values, this.config.id],
                    {},
                    false
                );
                return { partner: data["res.partner"][0] };
            } catch (error) {
                if (!(error instanceof ConnectionLostError)) {
                    throw error;
                }
            }
        }
        const cardNumber = this.tslOfflineCardNumber();
        order.set_partner(false);
        order.tslSetEnrolment(values, cardNumber);
        return { queued: true, values, cardNumber };
    },
    async tslOpenVouchers() {
        const order = this.get_order();
        const partner = order?.get_partner();
        if (!partner?.tsl_member_state) {
            this.notification.add(_t("Select a member first."), { type: "warning" });
            return;
        }
        await this.tslRefreshBadge(partner);
        const voucher = await makeAwaitable(this.dialog, TslVoucherPopup, {
            partner,
            vouchers: this.tslMemberVouchers(partner).filter(
                (v) => !order.tslVoucherLines.some((line) => line.tsl_voucher_id.id === v.id)
            ),
            checkCode: (code) => this.tslCheckVoucherCode(order, partner, code),
        });
        if (voucher) {
            await this.tslAddVoucherLine(order, voucher);
        }
    },
    /** Online: the server validates the code (tsl_check_code); offline: a known voucher. */
    async tslCheckVoucherCode(order, partner, code) {
        code = (code || "").trim().toUpperCase();
        if (order.tslVoucherLines.some((line) => line.tsl_voucher_id.name === code)) {
            throw new Error(_t("Voucher %s is already on this order.", code));
        }
        if (!this.data.network.offline) {
            try {
                const data = await this.data.callRelated(
                    "tsl.voucher",
                    "tsl_pos_check_code",
                    [code, partner.id, order.get_total_with_tax(), this.config.id],
                    {},
                    false
                );
                return data["tsl.voucher"][0];
            } catch (error) {
                if (!(error instanceof ConnectionLostError)) {
                    throw new Error(error.data?.message || error.message);
                }
            }
        }
        const known = this.tslMemberVouchers(partner).find((v) => v.name === code);
        if (!known) {
            throw new Error(
                _t("Offline: voucher %s cannot be checked. Only the member's known vouchers can be used.", code)
            );
        }
        return known;
    },
    async tslAddVoucherLine(order, voucher) {
        const product = this.company.tsl_voucher_product_id;
        if (!product) {
            this.notification.add(_t("No voucher product is configured."), { type: "danger" });
            return;
        }
        await this.addLineToCurrentOrder(
            {
                product_id: product,
                price_unit: -voucher.amount,
                qty: 1,
                tsl_voucher_id: voucher,
            },
            {},
            false
        );
    },
});
