import { ResPartner } from "@point_of_sale/app/models/res_partner";
import { patch } from "@web/core/utils/patch";

patch(ResPartner.prototype, {
    get searchString() {
        return [super.searchString, this.tsl_member_number || ""].join(" ");
    },
    exactMatch(searchWord) {
        const number = (this.tsl_member_number || "").toUpperCase();
        return super.exactMatch(searchWord) || (!!number && number === searchWord.toUpperCase());
    },
    get tslIsMember() {
        return Boolean(this.tsl_member_state);
    },
});
