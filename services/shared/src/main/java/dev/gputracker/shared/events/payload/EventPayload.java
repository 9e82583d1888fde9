package dev.gputracker.shared.events.payload;

/**
 * The payload ({@code data}) of one event type, one record per type: the single definition of what
 * the type carries. Field names are the record's components in snake_case; {@link EventPayloads}
 * reads and writes them, and {@code EventPayloadsTest} ties each record to its JSON Schema.
 */
public sealed interface EventPayload
    permits ListingCreated,
        ListingPriceChanged,
        ListingRemoved,
        ScrapeRunFinished,
        SourceHealthChanged,
        WorkerJoined,
        WorkerLeft,
        JobStateChanged,
        JobRequest {}
