import { PartnerLine } from "@point_of_sale/app/screens/partner_list/partner_line/partner_line";
import { TslMemberBadge } from "@tsl_loyalty/app/member_badge/member_badge";

PartnerLine.components = { ...PartnerLine.components, TslMemberBadge };
