using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Playbooks.Calling;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Webhooks;

/// <summary>A webhook request whose X-Twilio-Signature checked out: Twilio's form and our URL's query.</summary>
public sealed record SignedWebhook(IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, string> Query)
{
    public string? FormValue(string name) => Form.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

public static class TwilioWebhook
{
    public const string SignatureInvalid = "twilio-signature-invalid";

    /// <summary>Twilio's webhook forms are a few dozen short parameters (about 2 KB); 64 KB leaves room and stops floods.</summary>
    public const long MaxFormBytes = 64 * 1024;

    /// <summary>Twilio sends a few dozen parameters; hundreds are no request of Twilio's.</summary>
    public const int MaxFormFields = 200;

    /// <summary>
    /// The form and query when the signature covers them and the URL Twilio called, or null. The URL is the
    /// public base URL plus the path and query as received, so a proxy in front changes nothing.
    /// </summary>
    public static async Task<SignedWebhook?> ReadSignedAsync(this HttpRequest request, TwilioSignature signature, CancellationToken cancellationToken)
    {
        var form = request.HasFormContentType
            ? await ReadExactFormAsync(request, cancellationToken)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        if (form is null)
        {
            return null;
        }

        var header = request.Headers[TwilioSignature.HeaderName].ToString();
        if (!signature.IsValid(request.Path + request.QueryString, form, header))
        {
            return null;
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new SignedWebhook(form, query);
    }

    /// <summary>
    /// Every pair of the urlencoded body exactly as sent: names compared ordinally, empty values kept, a repeated name
    /// refused (null). ASP.NET's form reader merges names case-insensitively and drops empty values, so a pair added to
    /// a signed form could slip past the signature check.
    /// </summary>
    private static async Task<Dictionary<string, string>?> ReadExactFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var pairs = body.Split('&', StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length > MaxFormFields)
        {
            return null;
        }
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var split = pair.IndexOf('=');
            var name = Decode(split < 0 ? pair : pair[..split]);
            if (!form.TryAdd(name, split < 0 ? "" : Decode(pair[(split + 1)..])))
            {
                return null;
            }
        }
        return form;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>403: missing, forged or stale signature. Nothing was dialed or queued.</summary>
    /// <summary>A TwiML answer: 200 with Twilio's XML content type.</summary>
    public static ContentResult Twiml(string twiml) =>
        new() { Content = twiml, ContentType = TwilioVoiceFunction.TwimlContentType, StatusCode = StatusCodes.Status200OK };

    public static IActionResult Forbidden() =>
        Failure.Forbidden(SignatureInvalid, "The X-Twilio-Signature header is missing or does not sign this request.").ToActionResult();
}
