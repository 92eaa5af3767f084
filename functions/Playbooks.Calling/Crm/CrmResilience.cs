using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Playbooks.Calling.Crm;

/// <summary>
/// The CRM HTTP clients' resilience pipeline: a bounded total time, a few quick retries of reads that failed
/// transiently (5xx, 408, network, attempt timeout), and a timeout per attempt. Writes are never retried here (a
/// create whose answer was lost is found by the next run's query), and 429 or 503 are never retried here either:
/// they carry the CRM's Retry-After, which holds the whole org (<see cref="CrmOrgHolds"/>), across instances.
/// </summary>
public static class CrmResilience
{
    public const string PipelineName = "crm";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, CrmOptions options)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.ReadRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.ReadRetryDelay,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(
                HttpClientResiliencePredicates.IsTransient(args.Outcome)
                && args.Outcome.Result?.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)),
        };
#pragma warning disable EXTEXP0001 // Experimental in some versions of the package; its behaviour is what the CRM writes need.
        retry.DisableForUnsafeHttpMethods();
#pragma warning restore EXTEXP0001
        var attempts = options.ReadRetries + 1;
        builder
            .AddTimeout(options.RequestTimeout * attempts + options.ReadRetryDelay * Math.Pow(2, attempts))
            .AddRetry(retry)
            .AddTimeout(options.RequestTimeout);
    }
}
