export const systemClock = { now: () => Date.now() };
/** A clock that only moves when told to; for tests and for users testing their own device code. */
export class ManualClock {
    t;
    constructor(t = Date.now()) {
        this.t = t;
    }
    now() {
        return this.t;
    }
    advance(ms) {
        this.t += ms;
    }
    set(ms) {
        this.t = ms;
    }
}
//# sourceMappingURL=clock.js.map