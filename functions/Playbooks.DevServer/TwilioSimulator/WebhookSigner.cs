using System.Security.Cryptography;
using System.Text;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>
/// X-Twilio-Signature as Twilio computes it: base64(HMAC-SHA1(auth token, URL + each POST parameter's
/// name and value, sorted by name)). A GET request signs the URL (with its query) alone.
/// </summary>
internal sealed class WebhookSigner(string authToken)
{
    public const string HeaderName = "X-Twilio-Signature";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(authToken);

    public string Sign(string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data.ToString())));
    }
}
