import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import * as Tsl from "@tsl_loyalty/../tests/tours/utils/tsl_pos_util";
import { refresh } from "@point_of_sale/../tests/tours/utils/common";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("tsl_pos_member_benefits", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // 林美玲, Star Diamond: 20 % off, points x1.5
            Tsl.findAndPick("186 2100 0001", "林美玲"),
            Tsl.addRing("800.00"),
            Tsl.orderBadgeHas("+1200 points on this order"),
            // her birthday month: the extra 10 % and double points, once
            ProductScreen.clickControlButton("Birthday Benefit"),
            ProductScreen.selectedOrderlineHas("POS Test Ring", "1.00", "720.00"),
            Tsl.orderBadgeHas("Birthday benefit applied"),
            Tsl.orderBadgeHas("+2160 points on this order"),
            // her welcome coupon, from her list
            ProductScreen.clickControlButton("Member Vouchers"),
            {
                content: "her two open vouchers are listed",
                trigger: ".tsl-voucher-popup .tsl-voucher-line[data-code='VTSLPOS0002']",
            },
            {
                content: "use the welcome coupon",
                trigger: ".tsl-voucher-popup .tsl-voucher-line[data-code='VTSLPOS0001']",
                run: "click",
            },
            {
                content: "the voucher line takes ¥100 off",
                trigger: ".order-container .orderline:has(.product-name:contains('VTSLPOS0001')):has(.price:contains('-100.00'))",
            },
            ProductScreen.totalAmountIs("620.00"),
            Tsl.orderBadgeHas("+1860 points on this order"),
            Tsl.payByCard(),
            // the server's figure, after the sync
            Tsl.receiptPoints("Points earned", "1860"),
            Tsl.nextOrder(),

            // 林芳, Senior Premier: 10 % off, x1.2; a voucher typed at the till
            Tsl.findAndPick("M88000002", "林芳"),
            Tsl.addRing("900.00"),
            ProductScreen.clickControlButton("Member Vouchers"),
            {
                content: "type an unknown code",
                trigger: ".tsl-voucher-popup .tsl-voucher-input",
                run: "edit VNOSUCHCODE1",
            },
            { trigger: ".tsl-voucher-popup .tsl-voucher-apply", run: "click" },
            {
                content: "the server refuses it",
                trigger: ".tsl-voucher-error:contains('There is no voucher')",
            },
            {
                content: "type 林美玲's exchange voucher",
                trigger: ".tsl-voucher-popup .tsl-voucher-input",
                run: "edit VTSLPOS0002",
            },
            { trigger: ".tsl-voucher-popup .tsl-voucher-apply", run: "click" },
            {
                content: "refused: another member's",
                trigger: ".tsl-voucher-error:contains('belongs to another member')",
            },
            {
                content: "type her own cash-back voucher",
                trigger: ".tsl-voucher-popup .tsl-voucher-input",
                run: "edit vtslpos0003",
            },
            { trigger: ".tsl-voucher-popup .tsl-voucher-apply", run: "click" },
            {
                content: "the voucher line takes ¥50 off",
                trigger: ".order-container .orderline:has(.product-name:contains('VTSLPOS0003')):has(.price:contains('-50.00'))",
            },
            ProductScreen.totalAmountIs("850.00"),
            Tsl.orderBadgeHas("+1020 points on this order"),
            {
                content: "no birthday benefit for her this month",
                trigger: ".tsl-order-member .tsl-member-badge:not(:has(.tsl-badge-birthday))",
            },
            Tsl.payByCard(),
            Tsl.receiptPoints("Points earned", "1020"),
            Tsl.nextOrder(),

            // reprint the birthday order after a reload: the server's points
            refresh(),
            { content: "the till is back", trigger: ".product-screen" },
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("Paid"),
            TicketScreen.selectOrderByPrice("620.00"),
            {
                content: "the reprinted receipt carries the points booked on the server",
                trigger: ".ticket-screen",
                run: () => {
                    const order = window.posmodel.models["pos.order"].find(
                        (o) => o.finalized && o.amount_total === 620
                    );
                    const member = order?.export_for_printing().tslMember;
                    if (!member || !member.synced || member.points !== 1860 || !member.birthday) {
                        throw new Error(`reprint data: ${JSON.stringify(member)}`);
                    }
                },
            },
        ].flat(),
});
