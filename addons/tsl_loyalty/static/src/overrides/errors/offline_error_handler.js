import { registry } from "@web/core/registry";
import { ConnectionLostError } from "@web/core/network/rpc";

/**
 * The member counter works offline by design (orders and enrolments are
 * queued and synced later): a lost connection is announced by the POS's own
 * "Connection Lost" dialog (offlineErrorHandler), it is not an error to log
 * in the browser console.
 */
function tslOfflineIsExpected(env, error, originalError) {
    if (originalError instanceof ConnectionLostError && error.event) {
        error.event.preventDefault();
    }
    return false;
}
registry
    .category("error_handlers")
    .add("tslOfflineIsExpected", tslOfflineIsExpected, { sequence: 1 });
