/* An adapter for the MQTT golden vectors (vectors/ADAPTER-PROTOCOL.md): a template.
 *
 * Copy this file and the Makefile, set VERSION and FEATURES, and replace decode() and
 * encode() with calls to your library. JSON through cJSON (Debian: apt-get install
 * libcjson-dev). Build and run it with
 *     make && mqtt-vectors run --impl ./adapter           # or: --protocol 3.1.1
 *
 * As it stands, decode() is a stand-in that knows only PINGREQ and PINGRESP and answers
 * "unsupported" to every other packet, so that the template runs end to end.
 *
 * C has no exceptions: a library that crashes (a segfault, an abort) ends the adapter. The
 * runner counts that as a crash and starts the adapter again for the next request. Keep
 * anything the library prints off standard output, which carries answers only. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `adapter --version` prints this line: your implementation's name and version. */
static const char *VERSION = "example-decoder 0.0.0";
/* "5.0": it takes requests with "protocol": "5.0". Add "context" once decode() applies the
 * request's context (the limits negotiated on the connection, vectors/v5/DECISIONS.md 6). */
static const char *FEATURES[] = {"5.0"};

/* Decodes one packet from the start of data[0..len) (possibly empty, possibly holding more
 * than one packet) into `reply`, setting "result" and its fields:
 *   "valid": "consumed" (a number) and "packet" (the JSON packet model);
 *   "invalid": "error" {"kind": "unknown", "message": "..."};
 *   "incomplete"; or "unsupported".
 * protocol is "3.1.1" or "5.0"; context is NULL or the request's context object. Binary
 * fields in the packet are lower-case hex; absent fields are JSON null. */
static void decode(const unsigned char *data, size_t len, const char *protocol,
                   const cJSON *context, cJSON *reply) {
    (void)protocol;
    (void)context;
    /* --- the stand-in: replace from here --- */
    const char *name = NULL;
    if (len > 0 && data[0] == 0xC0) name = "PINGREQ";
    if (len > 0 && data[0] == 0xD0) name = "PINGRESP";
    if (len == 0 || (name != NULL && len == 1)) {
        cJSON_AddStringToObject(reply, "result", "incomplete");
    } else if (name == NULL) {
        cJSON_AddStringToObject(reply, "result", "unsupported");
    } else if (data[1] != 0) {
        char message[64];
        snprintf(message, sizeof message, "%s with Remaining Length byte %02x", name, data[1]);
        cJSON_AddStringToObject(reply, "result", "invalid");
        cJSON *error = cJSON_AddObjectToObject(reply, "error");
        cJSON_AddStringToObject(error, "kind", "unknown");
        cJSON_AddStringToObject(error, "message", message);
    } else {
        cJSON_AddStringToObject(reply, "result", "valid");
        cJSON_AddNumberToObject(reply, "consumed", 2);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(reply, "packet"), "type", name);
    }
    /* --- to here --- */
}

/* Encodes a JSON packet model into out (room for cap bytes): the length, or -1 when the
 * library cannot encode it. */
static long encode(const cJSON *packet, const char *protocol, const cJSON *context,
                   unsigned char *out, size_t cap) {
    (void)protocol;
    (void)context;
    /* --- the stand-in: replace from here --- */
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(packet, "type"));
    if (type == NULL || cap < 2) return -1;
    if (strcmp(type, "PINGREQ") == 0) out[0] = 0xC0;
    else if (strcmp(type, "PINGRESP") == 0) out[0] = 0xD0;
    else return -1;
    out[1] = 0x00;
    return 2;
    /* --- to here --- */
}

static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The bytes of lower-case hex (as the runner sends it); NULL on bad hex. */
static unsigned char *from_hex(const char *hex, size_t *len) {
    size_t n = strlen(hex);
    unsigned char *out = malloc(n / 2 + 1);
    if (out == NULL || n % 2 != 0) {
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *len = n / 2;
    return out;
}

static void answer(const cJSON *request, cJSON *reply) {
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(request, "hex");
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(request, "encode");
    const cJSON *context = cJSON_GetObjectItemCaseSensitive(request, "context");
    const char *protocol =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "protocol"));
    size_t nfeatures = sizeof FEATURES / sizeof FEATURES[0];
    if (cJSON_GetObjectItemCaseSensitive(request, "features") != NULL) {
        cJSON_AddItemToObject(reply, "features", cJSON_CreateStringArray(FEATURES, (int)nfeatures));
        return;
    }
    if (protocol == NULL) protocol = "3.1.1";
    int known = strcmp(protocol, "3.1.1") == 0;
    for (size_t i = 0; i < nfeatures; i++) known |= strcmp(protocol, FEATURES[i]) == 0;
    if (!known) {
        cJSON_AddStringToObject(reply, "result", "unsupported");
    } else if (model != NULL) {
        unsigned char out[65536]; /* enough for the stand-in; size it for your packets */
        long n = encode(model, protocol, context, out, sizeof out);
        if (n < 0) {
            cJSON_AddStringToObject(reply, "result", "unsupported");
            return;
        }
        char *text = malloc(2 * (size_t)n + 1);
        for (long i = 0; i < n; i++) sprintf(text + 2 * i, "%02x", out[i]);
        text[2 * n] = '\0';
        cJSON_AddStringToObject(reply, "hex", text);
        free(text);
    } else {
        size_t len = 0;
        unsigned char *data = cJSON_IsString(hex) ? from_hex(hex->valuestring, &len) : NULL;
        if (data == NULL) {
            cJSON_AddStringToObject(reply, "result", "unsupported");
            cJSON_AddStringToObject(reply, "reason", "no hex");
            return;
        }
        decode(data, len, protocol, context, reply);
        free(data);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", VERSION);
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) != -1) {
        cJSON *request = cJSON_Parse(line);
        if (request == NULL) continue; /* an empty line */
        cJSON *reply = cJSON_CreateObject();
        cJSON_AddItemToObject(reply, "id",
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(request, "id"), 1));
        answer(request, reply);
        char *text = cJSON_PrintUnformatted(reply);
        printf("%s\n", text);
        fflush(stdout);
        free(text);
        cJSON_Delete(reply);
        cJSON_Delete(request);
    }
    free(line);
    return 0;
}
