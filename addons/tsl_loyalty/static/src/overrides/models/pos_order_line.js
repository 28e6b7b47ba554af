import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";
import { patch } from "@web/core/utils/patch";

patch(PosOrderline.prototype, {
    set_full_product_name() {
        super.set_full_product_name(...arguments);
        if (this.tsl_voucher_id) {
            // the voucher line names its voucher, on the screen and the receipt
            this.full_product_name = `${this.product_id.display_name} ${this.tsl_voucher_id.name}`;
        }
    },
});
