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

    /// <summary>
    /// The form and query when the signature covers them and the URL Twilio called, or null. The URL is the
    /// public base URL plus the path and query as received, so a proxy in front changes nothing.
    /// </summary>
    public static async Task<SignedWebhook?> ReadSignedAsync(this HttpRequest request, TwilioSignature signature, CancellationToken cancellationToken)
    {
        Dictionary<string, string> form;
        try
        {
            form = request.HasFormContentType
                ? (await request.ReadFormAsync(cancellationToken)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (InvalidDataException ex)
        {
            // The form reader's own limits (key length, value count): bad input, answered as 400 by the pipeline.
            throw new BadHttpRequestException(ex.Message, StatusCodes.Status400BadRequest, ex);
        }

        var header = request.Headers[TwilioSignature.HeaderName].ToString();
        if (!signature.IsValid(request.Path + request.QueryString, form, header))
        {
            return null;
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new SignedWebhook(form, query);
    }

    /// <summary>403: missing, forged or stale signature. Nothing was dialed or queued.</summary>
    public static IActionResult Forbidden() =>
        Failure.Forbidden(SignatureInvalid, "The X-Twilio-Signature header is missing or does not sign this request.").ToActionResult();
}
