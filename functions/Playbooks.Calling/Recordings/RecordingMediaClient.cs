using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Recordings;

/// <summary>
/// Fetches a recording's audio from Twilio's REST API with the account's API key (HTTP Basic, which Twilio requires
/// once "Enforce HTTP Auth on Media URLs" is on). The URL is built only from the configured REST base, the account SID
/// and a recording SID of Twilio's shape, never from a URL that a callback or a request supplied.
/// </summary>
public partial class RecordingMediaClient(HttpClient http, IOptions<TwilioOptions> options)
{
    public const string TwilioRestBaseUrl = "https://api.twilio.com";

    /// <summary>WAV is what Twilio stores and serves without conversion; browsers play it.</summary>
    public const string Format = "wav";

    public const string DefaultContentType = "audio/wav";

    private readonly TwilioOptions _twilio = options.Value;

    /// <summary>Twilio's recording SID: RE and 32 hex digits.</summary>
    public static bool IsRecordingSid(string? value) => value is not null && RecordingSid().IsMatch(value);

    /// <summary>{REST base}/2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.wav</summary>
    public Uri MediaUri(string recordingSid)
    {
        if (!IsRecordingSid(recordingSid))
        {
            throw new ArgumentException("Not a Twilio recording SID.", nameof(recordingSid));
        }

        var restBase = string.IsNullOrEmpty(_twilio.RestApiBaseUrl) ? TwilioRestBaseUrl : _twilio.RestApiBaseUrl;
        return new Uri($"{restBase.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_twilio.AccountSid)}/Recordings/{recordingSid}.{Format}");
    }

    /// <summary>
    /// The recording's audio as a stream to pass on, or null when Twilio has no such recording (404). Throws
    /// <see cref="RecordingMediaException"/> when Twilio refuses the credentials or fails.
    /// </summary>
    public virtual async Task<RecordingMedia?> OpenAsync(string recordingSid, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, MediaUri(recordingSid));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_twilio.ApiKeySid}:{_twilio.ApiKeySecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DefaultContentType));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RecordingMediaException("Twilio could not be reached for the recording.", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RecordingMediaException("Twilio did not answer in time for the recording.", ex);
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new RecordingMediaException($"Twilio answered {status} for the recording.");
        }

        var type = response.Content.Headers.ContentType?.MediaType;
        var contentType = type is not null && type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) ? type : DefaultContentType;
        var content = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new RecordingMedia(response, content, contentType, response.Content.Headers.ContentLength);
    }

    [GeneratedRegex("^RE[0-9a-fA-F]{32}$")]
    private static partial Regex RecordingSid();
}

/// <summary>A recording's audio on its way from Twilio; disposing it closes the upstream response.</summary>
public sealed class RecordingMedia(IDisposable owner, Stream content, string contentType, long? length) : IDisposable
{
    public Stream Content => content;

    public string ContentType => contentType;

    public long? Length => length;

    public void Dispose()
    {
        content.Dispose();
        owner.Dispose();
    }
}

/// <summary>Twilio refused or failed to serve a recording it should have.</summary>
public sealed class RecordingMediaException(string message, Exception? inner = null) : Exception(message, inner);
