extension AggregateRepository {
    /// Folds a decoded event: through the typed handlers when there are any.
    func apply(_ event: any DomainEvent, context: EventContext, to state: inout A) throws {
        if handlers.isEmpty {
            try state.apply(event)
        } else {
            _ = try handlers.apply(event, context: context, to: &state)
        }
    }

    /// Folds a stream straight from the store's pages through the typed
    /// handlers: a record a handler takes at its schema version is decoded
    /// in place; one that needs upcasting goes through the registry; others
    /// are skipped.
    func foldInPlace(_ scanning: any StoredRecordScanning, stream: StreamName, state: inout A, version: inout UInt64) throws {
        let pageSize = 1_000
        while true {
            var last = version
            let count = try scanning.scanStream(stream.value, from: version + 1, limit: pageSize) { stored in
                let view: RecordView
                do throws(RecordFormatError) {
                    view = try RecordView(stored: stored)
                } catch {
                    throw EventStoreError.storage("stream \(stream.value) after version \(last): \(error)")
                }
                let context = EventContext(position: view.position, streamVersion: view.streamVersion, recordedAt: view.recordedAt)
                if let i = handlers.index(ofType: view.type) {
                    if handlers.entries[i].schemaVersion == view.schemaVersion {
                        try handlers.entries[i].decodeAndApply(view.payload, binary, registry.codec, context, &state)
                    } else {
                        try foldDecoded(view, context: context, state: &state)
                    }
                } else if registry.hasUpcasters,
                          registry.hasUpcaster(type: String(decoding: view.type, as: UTF8.self), schemaVersion: view.schemaVersion) {
                    try foldDecoded(view, context: context, state: &state)
                }
                last = view.streamVersion
            }
            version = last
            if count < pageSize { return }
        }
    }

    private func foldDecoded(_ view: RecordView, context: EventContext, state: inout A) throws {
        let record: RecordedEvent
        do throws(RecordFormatError) {
            record = try view.materialize()
        } catch {
            throw EventStoreError.storage("position \(view.position): \(error)")
        }
        for event in try registry.decodeAll(record) {
            _ = try handlers.apply(event, context: context, to: &state)
        }
    }
}
