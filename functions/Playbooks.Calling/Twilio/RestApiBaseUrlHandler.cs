namespace Playbooks.Calling.Twilio;

/// <summary>
/// Sends every Twilio REST request to another base URL (the local Twilio simulator), keeping the
/// path and query: https://api.twilio.com/2010-04-01/... becomes {base}/2010-04-01/....
/// </summary>
/// <remarks>The Twilio library always builds https://{product}.twilio.com URLs, so the host is rewritten on the wire.</remarks>
public sealed class RestApiBaseUrlHandler : DelegatingHandler
{
    private readonly Uri _baseUrl;

    public RestApiBaseUrlHandler(Uri baseUrl)
    {
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The REST API base URL must be absolute.", nameof(baseUrl));
        }

        _baseUrl = baseUrl;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } original)
        {
            request.RequestUri = Rewrite(original);
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal Uri Rewrite(Uri original)
    {
        var builder = new UriBuilder(_baseUrl)
        {
            Path = _baseUrl.AbsolutePath.TrimEnd('/') + original.AbsolutePath,
            Query = original.Query.TrimStart('?'),
        };
        return builder.Uri;
    }
}
