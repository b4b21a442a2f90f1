/// The versioned schema. Each migration runs once, in order, in one
/// transaction, under an advisory lock so concurrent processes do not race.
enum PostgresMigrations {
    static func all(_ s: String) -> [String] {
        [
            """
            CREATE TABLE \(s).events (
                position bigint PRIMARY KEY,
                stream text NOT NULL,
                version bigint NOT NULL,
                event_id uuid NOT NULL,
                type text NOT NULL,
                category text NOT NULL,
                record bytea NOT NULL,
                CONSTRAINT events_stream_version UNIQUE (stream, version),
                CONSTRAINT events_event_id UNIQUE (event_id)
            );
            CREATE INDEX events_category ON \(s).events (category, position);
            CREATE TABLE \(s).head (id int PRIMARY KEY CHECK (id = 1), position bigint NOT NULL, hash bytea NOT NULL);
            INSERT INTO \(s).head VALUES (1, 0, '\\x00');
            CREATE TABLE \(s).streams (stream text PRIMARY KEY, version bigint NOT NULL);
            """,
            """
            CREATE TABLE \(s).projections (slot text PRIMARY KEY, checkpoint bigint NOT NULL, state bytea NOT NULL);
            CREATE TABLE \(s).snapshots (stream text PRIMARY KEY, version bigint NOT NULL, schema_version int NOT NULL, state bytea NOT NULL);
            """,
            """
            CREATE TABLE \(s).read_model_rows (
                slot text NOT NULL,
                tbl text NOT NULL,
                key text COLLATE "C" NOT NULL,
                value bytea NOT NULL,
                PRIMARY KEY (slot, tbl, key)
            );
            """,
        ]
    }
}
