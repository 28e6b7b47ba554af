import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";
import { patch } from "@web/core/utils/patch";
import { useEffect, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";

patch(PartnerList.prototype, {
    setup() {
        super.setup(...arguments);
        // the members found on the server for the current query, in order
        this.tslState = useState({ query: "", ids: [] });
        // search the server when the cashier stops typing (or scans a card)
        useEffect(
            (query) => {
                if (!(query || "").trim()) {
                    return;
                }
                const timer = setTimeout(() => this.searchPartner(), 300);
                return () => clearTimeout(timer);
            },
            () => [this.state.query]
        );
    },
    get tslSearchPlaceholder() {
        return _t("Phone, member number, card or name...");
    },
    /** Members by phone, member number / card or name prefix: one page. */
    async getNewPartners() {
        const query = (this.state.query || "").trim();
        if (!query) {
            return [];
        }
        const offset = this.state.previousQuery === this.state.query ? this.state.currentOffset : 0;
        let partners = [];
        try {
            partners = await this.pos.tslSearchMembers(query, offset);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                // offline: the members already known to the till are still listed
                return [];
            }
            throw error;
        }
        const ids = partners.map((partner) => partner.id);
        if (this.tslState.query === query && offset) {
            this.tslState.ids = [...new Set([...this.tslState.ids, ...ids])];
        } else {
            this.tslState.query = query;
            this.tslState.ids = ids;
        }
        return partners;
    },
    getPartners() {
        const query = (this.state.query || "").trim();
        if (query && this.tslState.query === query && this.tslState.ids.length) {
            const found = this.tslState.ids
                .map((id) => this.pos.models["res.partner"].get(id))
                .filter(Boolean);
            const others = super.getPartners().filter((p) => !this.tslState.ids.includes(p.id));
            return [...found, ...others];
        }
        return super.getPartners();
    },
    tslEnrol() {
        this.props.close();
        this.pos.tslEnrolMember();
    },
});
