import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as Tsl from "@tsl_loyalty/../tests/tours/utils/tsl_pos_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("tsl_pos_member_counter", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // 王丽's mobile is stored as "139 1700 8866": typed the international way
            ProductScreen.clickPartnerButton(),
            Tsl.search("+86 139-1700-8866"),
            Tsl.memberLineHas("王丽", "Star Diamond"),
            Tsl.memberLineHas("王丽", "Grade A"),
            Tsl.memberLineHas("王丽", "points"),
            // 林芳's card scanned (member number, any case)
            Tsl.search("m88000002"),
            Tsl.memberLineHas("林芳", "M88000002"),
            Tsl.memberLineHas("林芳", "Senior Premier"),
            Tsl.memberLineHas("林芳", "Grade B"),
            // a name prefix: both 林
            Tsl.search("林"),
            Tsl.listHas("林美玲"),
            Tsl.listHas("林芳"),
            Tsl.pickMember("林美玲"),
            // her badge on the order: birthday today, the month's benefit
            // available, two open vouchers, a ring to pick up
            Tsl.orderBadgeHas("Star Diamond"),
            Tsl.orderBadgeHas("Grade A"),
            Tsl.orderBadgeHas("M88000001"),
            Tsl.orderBadgeHas("0 points"),
            {
                content: "the month's birthday benefit is still available",
                trigger: ".tsl-order-member .tsl-badge-birthday .tsl-benefit-available",
            },
            Tsl.orderBadgeHas("2 open vouchers"),
            Tsl.orderBadgeHas("1 deposits to pick up"),

            // enrol 李娜: the server names every missing field
            ProductScreen.clickPartnerButton(),
            { content: "open the enrolment", trigger: ".tsl-enrol-button", run: "click" },
            Tsl.enrolField("name", "李娜"),
            Tsl.enrolField("mobile", "0086 150 0000 7788"),
            Tsl.clickEnrol(),
            {
                content: "refused, naming every missing field",
                trigger:
                    ".tsl-enrol-error:contains(Gender):contains(Birthday month):contains(Address line):contains(Postal code):contains(Consent signature)",
            },
            Tsl.enrolField("tsl_gender", "female", "select"),
            Tsl.enrolField("tsl_birth_month", "5", "select"),
            Tsl.enrolField("street", "黄浦区福州路 88 号"),
            Tsl.enrolField("zip", "200003"),
            Tsl.enrolConsent(),
            Tsl.clickEnrol(),
            {
                content: "the form is closed",
                trigger: "body:not(:has(.tsl-enrol-popup))",
            },
            {
                content: "李娜 is the customer",
                trigger: ".product-screen .set-partner:contains('李娜')",
            },
            // the temporary card is issued at once, with the welcome coupon
            Tsl.orderBadgeHas("Temporary card"),
            Tsl.orderBadgeHas("M0"),
            Tsl.orderBadgeHas("1 open vouchers"),
            Tsl.addRing("1,000.00"),
            Tsl.orderBadgeHas("+1000 points on this order"),
            Tsl.payByCard(),
            Tsl.receiptPoints("Points earned", "1000"),
            Tsl.nextOrder(),
        ].flat(),
});
