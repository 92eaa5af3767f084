using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Tests.Webhooks;

/// <summary>Webhook requests as Twilio sends them, signed the way Twilio signs them.</summary>
internal static class TwilioRequests
{
    public const string AuthToken = "test-auth-token-0123456789";
    public const string PublicBaseUrl = "https://calls.playbooks.example";

    public static IOptions<TwilioOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(new TwilioOptions
    {
        AccountSid = "AC0123456789abcdef0123456789abcdef",
        ApiKeySid = "SK0123456789abcdef0123456789abcdef",
        ApiKeySecret = "s3cr3t-api-key-secret-0123456789ab",
        AuthToken = AuthToken,
        TwimlAppSid = "AP0123456789abcdef0123456789abcdef",
        PublicBaseUrl = PublicBaseUrl,
    });

    public static TwilioSignature Signature { get; } = new(Options);

    /// <summary>base64(HMAC-SHA1(auth token, URL + each POST parameter's name and value, sorted by name)).</summary>
    public static string Sign(string url, IReadOnlyDictionary<string, string> form, string authToken = AuthToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>
    /// A POST as it reaches the app behind a proxy: an internal host and scheme, the public path and query.
    /// <paramref name="signature"/> defaults to a valid one over the public URL; pass "" to send none.
    /// </summary>
    public static HttpRequest Post(string pathAndQuery, IReadOnlyDictionary<string, string> form, string? signature = null)
    {
        var http = new DefaultHttpContext();
        var request = http.Request;
        request.Method = "POST";
        request.Scheme = "http";
        request.Host = new HostString("10.0.0.5", 8080);
        var query = pathAndQuery.IndexOf('?');
        request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        request.ContentType = "application/x-www-form-urlencoded";
        var body = string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        var header = signature ?? Sign(PublicBaseUrl + pathAndQuery, form);
        if (header.Length > 0)
        {
            request.Headers[TwilioSignature.HeaderName] = header;
        }

        http.Response.Body = new MemoryStream();
        return request;
    }
}
