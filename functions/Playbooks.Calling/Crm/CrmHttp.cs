using System.Net;
using System.Net.Http.Headers;

namespace Playbooks.Calling.Crm;

/// <summary>How a CRM words its errors.</summary>
public interface ICrmErrorReader
{
    /// <summary>The CRM's message from an error body, and whether it is the CRM's own request limit.</summary>
    (string Message, bool RateLimited) Read(HttpStatusCode status, string body);
}

/// <summary>
/// Sends CRM requests and sorts their failures: 429 and 503 wait for Retry-After, other 5xx and network errors are
/// transient, 401 gets one fresh token and one more try, and any other 4xx is permanent with the CRM's message.
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
        CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(http, build(await token(false)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            response = await SendRawAsync(http, build(await token(true)), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var (message, _) = errors.Read(response.StatusCode, await ReadAsync(response, cancellationToken));
                response.Dispose();
                throw new CrmException(CrmErrorKind.Permanent, $"The CRM refused a fresh token: {message}") { StopsOrg = true };
            }
        }
        return await EnsureSuccessAsync(response, errors, clock, cancellationToken);
    }

    /// <summary>A token endpoint's answer: refusals of the credentials are permanent for the whole org.</summary>
    public static async Task<HttpResponseMessage> SendTokenRequestAsync(
        HttpClient http, HttpRequestMessage request, ICrmErrorReader errors, TimeProvider clock, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(http, request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var (message, _) = errors.Read(response.StatusCode, await ReadAsync(response, cancellationToken));
            response.Dispose();
            throw new CrmException(CrmErrorKind.Permanent, $"Sign-in to the CRM failed: {message}") { StopsOrg = true };
        }
        return await EnsureSuccessAsync(response, errors, clock, cancellationToken);
    }

    public static async Task<HttpResponseMessage> EnsureSuccessAsync(
        HttpResponseMessage response, ICrmErrorReader errors, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var status = response.StatusCode;
            var (message, rateLimited) = errors.Read(status, await ReadAsync(response, cancellationToken));
            var described = $"{(int)status} {message}";
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
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CrmException(CrmErrorKind.Transient, "The CRM did not answer in time.", inner: e);
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Length > 2000 ? body[..2000] : body;
    }
}
