/** The MQTT 5 reason codes the embedded broker sends (MQTT 5.0 §2.4). */
export const RC = {
    SUCCESS: 0x00,
    GRANTED_QOS_1: 0x01,
    DISCONNECT_WITH_WILL: 0x04,
    NO_SUBSCRIPTION_EXISTED: 0x11,
    UNSPECIFIED: 0x80,
    MALFORMED: 0x81,
    PROTOCOL_ERROR: 0x82,
    UNSUPPORTED_VERSION: 0x84,
    CLIENT_ID_NOT_VALID: 0x85,
    BAD_USERNAME_OR_PASSWORD: 0x86,
    NOT_AUTHORIZED: 0x87,
    SERVER_SHUTTING_DOWN: 0x8b,
    BAD_AUTHENTICATION_METHOD: 0x8c,
    KEEP_ALIVE_TIMEOUT: 0x8d,
    SESSION_TAKEN_OVER: 0x8e,
    TOPIC_FILTER_INVALID: 0x8f,
    TOPIC_NAME_INVALID: 0x90,
    TOPIC_ALIAS_INVALID: 0x94,
    PACKET_TOO_LARGE: 0x95,
    RETAIN_NOT_SUPPORTED: 0x9a,
    QOS_NOT_SUPPORTED: 0x9b,
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED: 0x9e,
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED: 0xa1,
};
/** The MQTT 3.1.1 CONNACK return code for an MQTT 5 CONNACK reason code (3.1.1 §3.2.2.3). */
export function connackReturnCode(reasonCode) {
    switch (reasonCode) {
        case RC.SUCCESS:
            return 0;
        case RC.UNSUPPORTED_VERSION:
            return 1;
        case RC.CLIENT_ID_NOT_VALID:
            return 2;
        case RC.BAD_USERNAME_OR_PASSWORD:
            return 4;
        case RC.NOT_AUTHORIZED:
            return 5;
        default:
            return 3;
    }
}
//# sourceMappingURL=reason-codes.js.map