import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

/** The member's open vouchers, or a code typed or scanned (L5, L6, L8). */
export class TslVoucherPopup extends Component {
    static template = "tsl_loyalty.VoucherPopup";
    static components = { Dialog };
    static props = {
        partner: Object,
        vouchers: Array,
        checkCode: Function,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({ code: "", error: "", busy: false });
    }

    voucherType(voucher) {
        return (
            {
                cashback: _t("Points Cash-back"),
                welcome: _t("Welcome Coupon"),
                renewal: _t("Renewal Coupon"),
                reward: _t("Exchange Voucher"),
            }[voucher.voucher_type] || ""
        );
    }

    choose(voucher) {
        this.props.getPayload(voucher);
        this.props.close();
    }

    async applyCode() {
        if (!this.state.code.trim()) {
            return;
        }
        this.state.busy = true;
        this.state.error = "";
        try {
            this.choose(await this.props.checkCode(this.state.code));
        } catch (error) {
            this.state.error = error.message || String(error);
        } finally {
            this.state.busy = false;
        }
    }
}
