import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as Tsl from "@tsl_loyalty/../tests/tours/utils/tsl_pos_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("tsl_pos_member_offline", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // 林芳 is found online, then the network goes
            Tsl.findAndPick("186 2100 0002", "林芳"),
            Tsl.addRing("900.00"),
            Tsl.orderBadgeHas("+1080 points on this order"),
            Tsl.setOffline(true),
            // offline, the till still finds the members it knows (her card)
            Tsl.findAndPick("m88000002", "林芳"),
            // her cash-back voucher, known to the till, used offline
            ProductScreen.clickControlButton("Member Vouchers"),
            {
                content: "use her cash-back voucher",
                trigger: ".tsl-voucher-popup .tsl-voucher-line[data-code='VTSLPOS0003']",
                run: "click",
            },
            ProductScreen.totalAmountIs("850.00"),
            Tsl.orderBadgeHas("+1020 points on this order"),
            Tsl.payByCard(),
            Dialog.confirm("Continue with limited functionality"),
            Tsl.receiptPoints("Points to earn", "1020"),
            Tsl.nextOrder(),

            // 陈小红 enrols offline: queued with her order, temporary card from the till
            Tsl.enrol({
                name: "陈小红",
                mobile: "137 0000 7766",
                street: "徐汇区漕溪北路 8 号",
                zip: "200030",
            }),
            {
                content: "the enrolment waits for the sync",
                trigger: ".tsl-member-badge-pending:contains('陈小红'):contains('card T')",
            },
            Tsl.addRing("1,000.00"),
            Tsl.orderBadgeHas("+1000 points on this order"),
            Tsl.payByCard(),
            Tsl.receiptPoints("Points to earn", "1000"),
            Tsl.nextOrder(),

            // a colleague enrols her again on the same offline till
            Tsl.enrol({
                name: "陈小红",
                mobile: "+86 137-0000-7766",
                street: "徐汇区漕溪北路 8 号",
                zip: "200030",
            }),
            Tsl.addRing("1,000.00"),
            Tsl.payByCard(),
            Tsl.receiptPoints("Points to earn", "1000"),
            Tsl.nextOrder(),

            // the network is back: the next order syncs them all
            Tsl.setOffline(false),
            Tsl.findAndPick("M88000002", "林芳"),
            Tsl.addRing("900.00"),
            Tsl.payByCard(),
            Tsl.receiptPoints("Points earned", "1080"),
            Tsl.nextOrder(),
            {
                content: "nothing left to sync",
                trigger: "body",
                run: () => {
                    const pending = window.posmodel.getPendingOrder();
                    const left = pending.orderToCreate.length + pending.orderToUpdate.length;
                    if (left) {
                        throw new Error(`${left} orders still waiting for the sync`);
                    }
                },
            },
        ].flat(),
});
