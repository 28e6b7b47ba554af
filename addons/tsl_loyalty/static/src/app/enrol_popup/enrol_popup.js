import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

/**
 * The POS enrolment form (M2). The JavaScript only collects the form: the
 * server checks it and names every missing field.
 */
export class TslEnrolPopup extends Component {
    static template = "tsl_loyalty.EnrolPopup";
    static components = { Dialog };
    static props = {
        submit: Function,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({
            name: "",
            tsl_gender: "",
            mobile: "",
            tsl_birthday_calendar: "solar",
            tsl_birth_month: "",
            tsl_birth_day: "",
            street: "",
            city: "",
            zip: "",
            email: "",
            tsl_consent_paper: false,
            optOut: { sms: false, phone: false, email: false, mail: false },
            error: "",
            busy: false,
        });
        this.months = Array.from({ length: 12 }, (_, i) => i + 1);
        this.channels = [
            ["sms", _t("SMS")],
            ["phone", _t("Phone")],
            ["email", _t("Email")],
            ["mail", _t("Mail")],
        ];
    }

    get values() {
        const s = this.state;
        return {
            name: s.name.trim(),
            tsl_gender: s.tsl_gender,
            mobile: s.mobile.trim(),
            tsl_birthday_calendar: s.tsl_birthday_calendar,
            tsl_birth_month: s.tsl_birth_month ? parseInt(s.tsl_birth_month) : false,
            tsl_birth_day: s.tsl_birth_day ? parseInt(s.tsl_birth_day) : false,
            street: s.street.trim(),
            city: s.city.trim(),
            zip: s.zip.trim(),
            email: s.email.trim(),
            tsl_consent_paper: s.tsl_consent_paper,
            tsl_opt_out_channels: Object.keys(s.optOut).filter((c) => s.optOut[c]),
        };
    }

    async confirm() {
        this.state.busy = true;
        this.state.error = "";
        try {
            const result = await this.props.submit(this.values);
            this.props.getPayload(result);
            this.props.close();
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
        } finally {
            this.state.busy = false;
        }
    }
}
