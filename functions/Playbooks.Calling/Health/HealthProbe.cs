using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Health;

/// <summary>What /api/health answers: the overall status and each check's one-word result.</summary>
public sealed record HealthSummary(string Status, IReadOnlyDictionary<string, string> Checks)
{
    [JsonIgnore]
    public bool Healthy => Status == "healthy";
}

/// <summary>Settings of the health probe (section "Health").</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>How long a healthy result is reused, so a warm probe costs no call to any dependency.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan HealthyFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an unhealthy result is reused: short, so recovery shows within a second or two.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan UnhealthyFor { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Runs the registered health checks at most once per cache period, whoever asks and however many ask at once
/// (concurrent probes share one run), so probes never multiply the calls to storage.
/// </summary>
public class HealthProbe(HealthCheckService checks, TimeProvider clock, IOptions<HealthOptions> options)
{
    private readonly Lock _gate = new();
    private Task<HealthSummary>? _current;
    private DateTimeOffset _expires = DateTimeOffset.MinValue;

    public virtual Task<HealthSummary> CheckAsync(CancellationToken cancellationToken)
    {
        Task<HealthSummary> run;
        lock (_gate)
        {
            var fresh = _current is { IsCompleted: false } || (_current is { IsCompletedSuccessfully: true } && clock.GetUtcNow() < _expires);
            if (!fresh)
            {
                _current = RunAsync();
            }

            run = _current!;
        }

        return run.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the cached result, e.g. when the host knows a dependency just went away.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _expires = DateTimeOffset.MinValue;
        }
    }

    private async Task<HealthSummary> RunAsync()
    {
        // No caller's token: the run is shared, and one probe giving up must not fail the others. Each check's
        // registration carries its own timeout, after which it reports unhealthy rather than throwing.
        var report = await checks.CheckHealthAsync(CancellationToken.None);
        var healthy = report.Status != HealthStatus.Unhealthy;
        var summary = new HealthSummary(
            healthy ? "healthy" : "unhealthy",
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Unhealthy ? "unreachable" : "ok"));
        lock (_gate)
        {
            _expires = clock.GetUtcNow() + (healthy ? options.Value.HealthyFor : options.Value.UnhealthyFor);
        }

        return summary;
    }
}
