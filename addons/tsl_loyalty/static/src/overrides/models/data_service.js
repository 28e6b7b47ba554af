import { PosData } from "@point_of_sale/app/models/data_service";
import { patch } from "@web/core/utils/patch";

patch(PosData.prototype, {
    /**
     * Records the server sends along (e.g. the member of a synced order, who
     * may be another associate's customer the user cannot read) are not
     * fetched again.
     */
    async missingRecursive(recordMap, idsMap = {}, acc = {}) {
        for (const [model, records] of Object.entries(recordMap)) {
            const ids = (records || []).map((record) => record.id).filter(Boolean);
            if (ids.length) {
                idsMap[model] = new Set([...(idsMap[model] || []), ...ids]);
            }
        }
        return await super.missingRecursive(recordMap, idsMap, acc);
    },
});
