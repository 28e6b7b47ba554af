import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

/** Type a phone, member number, card or name in the customer list. */
export function search(query) {
    return [
        {
            content: `search members: ${query}`,
            trigger: ".modal-dialog .partner-list, .modal-dialog .input-group input",
        },
        {
            content: `type ${query}`,
            trigger: ".modal-dialog .input-group input",
            run: `edit ${query}`,
        },
    ];
}
export function memberLineHas(name, text) {
    return {
        content: `${name}'s line shows "${text}"`,
        trigger: `.partner-list .partner-info:contains("${name}") .tsl-member-badge:contains("${text}")`,
    };
}
export function listHas(name) {
    return {
        content: `${name} is listed`,
        trigger: `.partner-list .partner-info:contains("${name}")`,
    };
}
export function pickMember(name) {
    return [
        {
            content: `pick ${name}`,
            trigger: `.partner-list .partner-info:contains("${name}") b:contains("${name}")`,
            run: "click",
        },
        {
            content: `${name} is the customer of the order`,
            trigger: `.product-screen .set-partner:contains("${name}")`,
        },
    ];
}
export function findAndPick(query, name) {
    return [ProductScreen.clickPartnerButton(), search(query), pickMember(name)].flat();
}
export function orderBadgeHas(text) {
    return {
        content: `the order's member badge shows "${text}"`,
        trigger: `.tsl-order-member .tsl-member-badge:contains("${text}")`,
    };
}
export function enrolField(name, value, command = "edit") {
    return {
        content: `enrolment form: ${name} = ${value}`,
        trigger: `.tsl-enrol-popup [name="${name}"]`,
        run: `${command} ${value}`,
    };
}
export function enrolConsent() {
    return {
        content: "the customer signed the consent form",
        trigger: `.tsl-enrol-popup input[name="tsl_consent_paper"]`,
        run: "check",
    };
}
export function clickEnrol() {
    return {
        content: "click Enrol",
        trigger: ".tsl-enrol-popup .tsl-enrol-confirm",
        run: "click",
    };
}
/** The whole form, filled in one go. */
export function enrol({ name, mobile, gender = "female", month = "5", street, zip }) {
    return [
        ProductScreen.clickPartnerButton(),
        { content: "open the enrolment", trigger: ".tsl-enrol-button", run: "click" },
        enrolField("name", name),
        enrolField("mobile", mobile),
        enrolField("tsl_gender", gender, "select"),
        enrolField("tsl_birth_month", month, "select"),
        enrolField("street", street),
        enrolField("zip", zip),
        enrolConsent(),
        clickEnrol(),
        {
            content: "the enrolment form is closed",
            trigger: "body:not(:has(.tsl-enrol-popup))",
        },
    ].flat();
}
export function addRing(price) {
    return [
        ProductScreen.clickDisplayedProduct("POS Test Ring"),
        ProductScreen.selectedOrderlineHas("POS Test Ring", "1.00", price),
    ].flat();
}
export function payByCard() {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Card"),
        PaymentScreen.clickValidate(),
    ].flat();
}
export function receiptPoints(label, points) {
    return {
        content: `the receipt shows ${label} ${points}`,
        trigger: `.receipt-screen .tsl-receipt-points:contains("${label}") .tsl-receipt-points-value:contains("${points}")`,
    };
}
export function nextOrder() {
    return [
        ReceiptScreen.clickNextOrder(),
        {
            content: "back on the product screen",
            trigger: ".product-screen",
        },
    ].flat();
}
export function setOffline(offline) {
    return {
        content: offline ? "the till loses the network" : "the network is back",
        trigger: "body",
        run: () => {
            window.posmodel.data.network.offline = offline;
        },
    };
}
