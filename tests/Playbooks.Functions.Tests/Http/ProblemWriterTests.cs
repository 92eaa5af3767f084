using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Playbooks.Calling.Telemetry;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Tests.Http;

public class ProblemWriterTests
{
    [Fact]
    public async Task WriteAsync_Refusal_CountedByItsCodeAndStatus()
    {
        // Arrange: a code no other test uses, so tests running alongside cannot add to the count.
        var code = $"test-refusal-{Guid.NewGuid():N}";
        var counted = new List<(long Value, int? Status)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == PlaybooksTelemetry.Meter && instrument.Name == PlaybooksTelemetry.RefusalsInstrument) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var byName = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (Equals(byName.GetValueOrDefault(PlaybooksTelemetry.ProblemCodeTag), code))
            {
                lock (counted) counted.Add((value, byName.GetValueOrDefault("http.response.status_code") as int?));
            }
        });
        listener.Start();
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();

        // Act
        await ProblemWriter.WriteAsync(http, new ProblemResponse(400, code, "Invalid request", "The field is wrong.") { Field = "to" });

        // Assert
        Assert.Equal([(1L, (int?)400)], counted);
        Assert.Equal(Problems.ContentType, http.Response.ContentType);
    }
}
