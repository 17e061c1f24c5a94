/** The shapes of a quota profile (--quotas): types only, so that config and operations can name them without the model. */
export {};
//# sourceMappingURL=types.js.map