using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.Tests.Telemetry;

/// <summary>
/// Tests that listen to the process-wide "Playbooks.Calling" source and meter run alone, so no other test's spans or
/// measurements land in what they record.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}

/// <summary>Every span of the "Playbooks.Calling" source that ends while it lives.</summary>
internal sealed class RecordedSpans : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<System.Diagnostics.Activity> ended = new();

    public RecordedSpans()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PlaybooksTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = ended.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyList<System.Diagnostics.Activity> Named(string name) => ended.Where(s => s.OperationName == name).ToList();

    public void Dispose() => listener.Dispose();
}

/// <summary>Every measurement of the "Playbooks.Calling" meter taken while it lives.</summary>
internal sealed class RecordedMeasurements : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> taken = new();

    public RecordedMeasurements()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == PlaybooksTelemetry.Meter) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    /// <summary>Reads the observable instruments (the dead-letter gauge) now.</summary>
    public void Observe() => listener.RecordObservableInstruments();

    public IReadOnlyList<(double Value, IReadOnlyDictionary<string, object?> Tags)> Of(string instrument) =>
        taken.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();

    /// <summary>The sum of an instrument's measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public double Sum(string instrument, string tag, object value) =>
        Of(instrument).Where(m => Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        taken.Enqueue((instrument.Name, value, copy));
    }
}
