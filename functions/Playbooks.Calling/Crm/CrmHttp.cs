using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Playbooks.Calling.Crm;

/// <summary>How a CRM words its errors.</summary>
public interface ICrmErrorReader
{
    /// <summary>The CRM's own error code from an error body (null when it has none), and whether it is the CRM's request limit.</summary>
    (string? Code, bool RateLimited) Read(HttpStatusCode status, string body);
}

/// <summary>
/// What callers see of a CRM's error: its HTTP status, its own error code and a trace id. The CRM's body can carry
/// anything the CRM (or whoever answers in its place) chooses, so it goes only to the server log under that trace id.
/// </summary>
public static partial class CrmErrorText
{
    /// <summary>A new trace id for one CRM error, to find its full body in the server log.</summary>
    public static string NewTraceId() => ActivityTraceId.CreateRandom().ToHexString();

    /// <summary>e.g. <c>400 INVALID_FIELD (trace 4bf92f35…)</c>; a code that is not a plain identifier is left out.</summary>
    public static string Describe(HttpStatusCode status, string? code, string traceId) =>
        code is not null && SafeCode().IsMatch(code)
            ? $"{(int)status} {code} (trace {traceId})"
            : $"{(int)status} (trace {traceId})";

    /// <summary>A per-record code (e.g. Salesforce's statusCode) when it is a plain identifier; null otherwise.</summary>
    public static string? Code(string? code) => code is not null && SafeCode().IsMatch(code) ? code : null;

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex SafeCode();
}

/// <summary>
/// Sends CRM requests and sorts their failures: 429 and 503 wait for Retry-After, other 5xx and network errors are
/// transient, 401 gets one fresh token and one more try, and any other 4xx is permanent. Failures carry the status,
/// the CRM's error code and a trace id; the body is logged with that trace id and never passed on.
/// </summary>
public static class CrmHttp
{
    /// <summary>A successful response, after at most one token refresh; a <see cref="CrmException"/> otherwise.</summary>
    public static async Task<HttpResponseMessage> SendAuthorizedAsync(
        HttpClient http,
        Func<bool, Task<CrmToken>> token,
        Func<CrmToken, HttpRequestMessage> build,
        ICrmErrorReader errors,
        TimeProvider clock,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(http, build(await token(false)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            response = await SendRawAsync(http, build(await token(true)), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var (described, _) = await DescribeAsync(response, errors, logger, cancellationToken);
                response.Dispose();
                throw new CrmException(CrmErrorKind.Permanent, $"The CRM refused a fresh token: {described}") { StopsOrg = true };
            }
        }
        return await EnsureSuccessAsync(response, errors, clock, logger, cancellationToken);
    }

    /// <summary>A token endpoint's answer: refusals of the credentials are permanent for the whole org.</summary>
    public static async Task<HttpResponseMessage> SendTokenRequestAsync(
        HttpClient http, HttpRequestMessage request, ICrmErrorReader errors, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(http, request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var (described, _) = await DescribeAsync(response, errors, logger, cancellationToken);
            response.Dispose();
            throw new CrmException(CrmErrorKind.Permanent, $"Sign-in to the CRM failed: {described}") { StopsOrg = true };
        }
        return await EnsureSuccessAsync(response, errors, clock, logger, cancellationToken);
    }

    public static async Task<HttpResponseMessage> EnsureSuccessAsync(
        HttpResponseMessage response, ICrmErrorReader errors, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var status = response.StatusCode;
            var (described, rateLimited) = await DescribeAsync(response, errors, logger, cancellationToken);
            if (rateLimited || status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                throw new CrmException(CrmErrorKind.RateLimited, described, RetryAt(response.Headers.RetryAfter, clock));
            }
            if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
            {
                throw new CrmException(CrmErrorKind.Transient, described);
            }
            throw new CrmException(CrmErrorKind.Permanent, described);
        }
    }

    /// <summary>When Retry-After (seconds or an HTTP date) allows the next request; null when the CRM gave none.</summary>
    public static DateTimeOffset? RetryAt(RetryConditionHeaderValue? retryAfter, TimeProvider clock) => retryAfter switch
    {
        { Delta: { } delta } => clock.GetUtcNow() + delta,
        { Date: { } date } => date,
        _ => null,
    };

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using (request)
            {
                return await http.SendAsync(request, cancellationToken);
            }
        }
        catch (HttpRequestException e)
        {
            throw new CrmException(CrmErrorKind.Transient, $"The CRM could not be reached: {e.Message}", inner: e);
        }
        catch (Exception e) when (e is TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new CrmException(CrmErrorKind.Transient, "The CRM did not answer in time.", inner: e);
        }
    }

    /// <summary>The caller's view of an error answer; the body goes to the log under the same trace id.</summary>
    private static async Task<(string Described, bool RateLimited)> DescribeAsync(
        HttpResponseMessage response, ICrmErrorReader errors, ILogger logger, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(response, cancellationToken);
        var (code, rateLimited) = errors.Read(response.StatusCode, body);
        var traceId = CrmErrorText.NewTraceId();
        logger.LogWarning("CRM answered {Status} to {Method} {Host} (trace {TraceId}): {Body}",
            (int)response.StatusCode, response.RequestMessage?.Method, response.RequestMessage?.RequestUri?.Host, traceId, body);
        return (CrmErrorText.Describe(response.StatusCode, code, traceId), rateLimited);
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Length > 2000 ? body[..2000] : body;
    }
}
