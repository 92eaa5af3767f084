using System.ComponentModel.DataAnnotations;

namespace Playbooks.Calling.Calls;

/// <summary>The open-call sweep (section <c>OpenCalls</c>).</summary>
public sealed class OpenCallsOptions
{
    public const string Section = "OpenCalls";

    /// <summary>How long a prospect leg may stay up after the rep's own leg ended before the sweep hangs it up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "OpenCalls:RepGoneAfter must be between 0 and 1 hour.")]
    public TimeSpan RepGoneAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Calls looked at per run; the rest wait for the next run.</summary>
    [Range(1, 5000, ErrorMessage = "OpenCalls:MaxCallsPerRun must be between 1 and 5000.")]
    public int MaxCallsPerRun { get; set; } = 500;
}
