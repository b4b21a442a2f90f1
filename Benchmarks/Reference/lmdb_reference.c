/*
 * The physical limit: raw LMDB doing the work CaseLedger's LMDB store does,
 * with the same databases, keys, value sizes, batches and sync mode, and no
 * library around it (no validation, no hashing, no encoding).
 *
 *   lmdb_reference bulk DIR EVENTS BATCH VALUE_SIZE STREAMS sync|nosync
 *       Appends EVENTS records in transactions of BATCH: events (position
 *       big-endian -> value), streams (name 0 version -> position), heads,
 *       eventIDs (16 bytes -> position), categories (category 0 position).
 *   lmdb_reference scan DIR
 *       Cursor scan of the events database of an existing store.
 *   lmdb_reference stream DIR STREAM ROUNDS
 *       ROUNDS times: read STREAM's positions from the streams index and
 *       each event from the events database.
 *
 * Prints one line: "<events or reads> <seconds>".
 */
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CHECK(x) do { int rc_ = (x); if (rc_ != MDB_SUCCESS) { fprintf(stderr, "%s: %s\n", #x, mdb_strerror(rc_)); exit(1); } } while (0)

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void be64(unsigned char *out, uint64_t v) {
    for (int i = 7; i >= 0; i--) { out[i] = (unsigned char)(v & 0xff); v >>= 8; }
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_random(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static MDB_env *open_env(const char *dir, unsigned flags) {
    MDB_env *env;
    mkdir(dir, 0755);
    CHECK(mdb_env_create(&env));
    CHECK(mdb_env_set_maxdbs(env, 16));
    CHECK(mdb_env_set_mapsize(env, (size_t)64 << 30));
    CHECK(mdb_env_open(env, dir, MDB_NOTLS | flags, 0644));
    return env;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: see the source\n"); return 2; }
    const char *mode = argv[1], *dir = argv[2];
    if (strcmp(mode, "bulk") == 0 && argc == 9) {
        long events = atol(argv[3]), batch = atol(argv[4]), size = atol(argv[5]), streams = atol(argv[6]);
        int sync = strcmp(argv[7], "sync") == 0;
        (void)argv[8];
        MDB_env *env = open_env(dir, sync ? 0 : MDB_NOSYNC);
        MDB_txn *txn; MDB_dbi ev, st, hd, id, ca;
        CHECK(mdb_txn_begin(env, NULL, 0, &txn));
        CHECK(mdb_dbi_open(txn, "events", MDB_CREATE, &ev));
        CHECK(mdb_dbi_open(txn, "streams", MDB_CREATE, &st));
        CHECK(mdb_dbi_open(txn, "heads", MDB_CREATE, &hd));
        CHECK(mdb_dbi_open(txn, "eventIDs", MDB_CREATE, &id));
        CHECK(mdb_dbi_open(txn, "categories", MDB_CREATE, &ca));
        CHECK(mdb_txn_commit(txn));
        unsigned char *value = malloc(size);
        for (long i = 0; i < size; i++) value[i] = (unsigned char)next_random();
        uint64_t *versions = calloc(streams, sizeof(uint64_t));
        double t0 = now();
        uint64_t position = 0;
        for (long done = 0; done < events; done += batch) {
            CHECK(mdb_txn_begin(env, NULL, 0, &txn));
            for (long j = 0; j < batch && done + j < events; j++) {
                position++;
                long s = (long)(position % streams);
                uint64_t version = ++versions[s];
                unsigned char pk[8]; be64(pk, position);
                MDB_val k = {8, pk}, v = {size, value};
                CHECK(mdb_put(txn, ev, &k, &v, MDB_APPEND));
                char name[64]; int n = snprintf(name, sizeof name, "ticket-%08ld", s);
                unsigned char sk[80]; memcpy(sk, name, n); sk[n] = 0; be64(sk + n + 1, version);
                MDB_val k2 = {(size_t)n + 9, sk}, v2 = {8, pk};
                CHECK(mdb_put(txn, st, &k2, &v2, 0));
                unsigned char ik[16]; uint64_t r1 = next_random(), r2 = next_random(); memcpy(ik, &r1, 8); memcpy(ik + 8, &r2, 8);
                MDB_val k3 = {16, ik};
                CHECK(mdb_put(txn, id, &k3, &v2, MDB_NOOVERWRITE));
                unsigned char ck[32]; memcpy(ck, "ticket", 6); ck[6] = 0; be64(ck + 7, position);
                MDB_val k4 = {15, ck}, v4 = {0, ""};
                CHECK(mdb_put(txn, ca, &k4, &v4, 0));
                unsigned char vk[8]; be64(vk, version);
                MDB_val k5 = {(size_t)n, name}, v5 = {8, vk};
                CHECK(mdb_put(txn, hd, &k5, &v5, 0));
            }
            CHECK(mdb_txn_commit(txn));
        }
        double t1 = now();
        printf("%ld %.6f\n", events, t1 - t0);
        mdb_env_close(env);
        return 0;
    }
    if (strcmp(mode, "scan") == 0) {
        MDB_env *env = open_env(dir, MDB_RDONLY);
        MDB_txn *txn; MDB_dbi ev; MDB_cursor *c;
        double t0 = now();
        CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
        CHECK(mdb_dbi_open(txn, "events", 0, &ev));
        CHECK(mdb_cursor_open(txn, ev, &c));
        MDB_val k, v; long n = 0; unsigned long sum = 0;
        while (mdb_cursor_get(c, &k, &v, n == 0 ? MDB_FIRST : MDB_NEXT) == MDB_SUCCESS) {
            n++;
            sum += ((unsigned char *)v.mv_data)[v.mv_size - 1] + ((unsigned char *)k.mv_data)[7];
        }
        double t1 = now();
        printf("%ld %.6f %lu\n", n, t1 - t0, sum & 1);
        mdb_txn_abort(txn);
        mdb_env_close(env);
        return 0;
    }
    if (strcmp(mode, "stream") == 0 && argc == 5) {
        const char *stream = argv[3]; long rounds = atol(argv[4]);
        MDB_env *env = open_env(dir, MDB_RDONLY);
        MDB_dbi ev, st; MDB_txn *txn;
        CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
        CHECK(mdb_dbi_open(txn, "events", 0, &ev));
        CHECK(mdb_dbi_open(txn, "streams", 0, &st));
        CHECK(mdb_txn_commit(txn));
        size_t n = strlen(stream);
        unsigned char prefix[256]; memcpy(prefix, stream, n); prefix[n] = 0;
        long reads = 0; unsigned long sum = 0;
        double t0 = now();
        for (long r = 0; r < rounds; r++) {
            MDB_cursor *c;
            CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
            CHECK(mdb_cursor_open(txn, st, &c));
            unsigned char key[270]; memcpy(key, prefix, n + 1); be64(key + n + 1, 1);
            MDB_val k = {n + 9, key}, v;
            int rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
            while (rc == MDB_SUCCESS && k.mv_size == n + 9 && memcmp(k.mv_data, prefix, n + 1) == 0) {
                MDB_val pk = {8, v.mv_data}, pv;
                CHECK(mdb_get(txn, ev, &pk, &pv));
                sum += ((unsigned char *)pv.mv_data)[0];
                rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
            }
            mdb_cursor_close(c);
            mdb_txn_abort(txn);
            reads++;
        }
        double t1 = now();
        printf("%ld %.6f %lu\n", reads, t1 - t0, sum & 1);
        mdb_env_close(env);
        return 0;
    }
    fprintf(stderr, "usage: see the source\n");
    return 2;
}
