import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";
import { TslMemberBadge } from "@tsl_loyalty/app/member_badge/member_badge";

OrderSummary.components = { ...OrderSummary.components, TslMemberBadge };
