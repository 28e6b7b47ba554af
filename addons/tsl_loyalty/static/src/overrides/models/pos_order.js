import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { patch } from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /** The enrolment queued with the order while offline, or null. */
    get tslEnrolment() {
        if (!this.tsl_enrolment_data) {
            return null;
        }
        try {
            return JSON.parse(this.tsl_enrolment_data);
        } catch {
            return null;
        }
    },
    tslSetEnrolment(values, cardNumber) {
        this.update({
            tsl_enrolment_data: JSON.stringify({ values, card_number: cardNumber }),
        });
    },
    get tslIsMemberOrder() {
        return Boolean(this.get_partner()?.tsl_member_state || this.tslEnrolment);
    },
    /**
     * Preview of the points the server will book when the order syncs:
     * rate x tier multiplier (x birthday factor) on the lines outside the
     * excluded categories. The server's figure (tsl_points_earned) is the
     * truth once the order is synced.
     */
    tslPointsPreview() {
        if (!this.tslIsMemberOrder) {
            return 0;
        }
        const company = this.company;
        const excluded = new Set((company.tsl_points_excluded_categ_ids || []).map((c) => c.id));
        let base = 0;
        for (const line of this.lines) {
            const categories = line.product_id?.parentCategories || [];
            if (categories.some((id) => excluded.has(id))) {
                continue;
            }
            base += line.get_price_with_tax();
        }
        const tier = this.get_partner()?.tsl_tier_id;
        let factor = (company.tsl_points_rate || 0) * (tier?.points_multiplier || 1);
        if (this.tsl_birthday_benefit) {
            factor *= company.tsl_birthday_points_factor || 1;
        }
        return Math.max(0, Math.floor(base * factor + 1e-9));
    },
    get tslIsSynced() {
        return typeof this.id === "number" && this.state !== "draft";
    },
    tslPointsToShow() {
        return this.tslIsSynced ? this.tsl_points_earned || 0 : this.tslPointsPreview();
    },
    get tslBirthdayPricelist() {
        return this.get_partner()?.tsl_tier_id?.birthday_pricelist_id || null;
    },
    tslApplyBirthdayBenefit() {
        const pricelist = this.tslBirthdayPricelist;
        if (!pricelist) {
            return false;
        }
        this.update({ tsl_birthday_benefit: true });
        this.set_pricelist(pricelist);
        return true;
    },
    tslCancelBirthdayBenefit() {
        this.update({ tsl_birthday_benefit: false });
        this.updatePricelistAndFiscalPosition(this.get_partner());
    },
    get tslVoucherLines() {
        return this.lines.filter((line) => line.tsl_voucher_id);
    },
    set_partner(partner) {
        const previous = this.get_partner();
        super.set_partner(...arguments);
        if (previous?.id !== partner?.id) {
            // benefits and vouchers belong to the member they were given to
            this.update({ tsl_birthday_benefit: false });
            for (const line of this.tslVoucherLines) {
                if (line.tsl_voucher_id.partner_id?.id !== partner?.id) {
                    this.removeOrderline(line);
                }
            }
            if (partner) {
                this.update({ tsl_enrolment_data: false });
            }
        } else if (partner && this.tsl_birthday_benefit) {
            this.set_pricelist(this.tslBirthdayPricelist);
        }
    },
    export_for_printing(baseUrl, headerData) {
        const result = super.export_for_printing(...arguments);
        const partner = this.get_partner();
        const enrolment = this.tslEnrolment;
        if (partner?.tsl_member_state || enrolment) {
            result.tslMember = {
                name: partner?.name || enrolment?.values?.name || "",
                number: partner?.tsl_member_number || enrolment?.card_number || "",
                tier: partner?.tsl_tier_id?.name || "",
                points: this.tslPointsToShow(),
                synced: this.tslIsSynced,
                balance: partner && this.tslIsSynced ? partner.tsl_points_balance : false,
                birthday: Boolean(this.tsl_birthday_benefit),
            };
        }
        return result;
    },
});
