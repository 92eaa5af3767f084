using System.Net;

namespace Playbooks.Calling.Tests.Recordings;

/// <summary>An HttpMessageHandler that remembers each request and answers with what the test gives.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    public static StubHandler Audio(byte[] body, string contentType = "audio/x-wav") => new(_ =>
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    });

    public static StubHandler Status(HttpStatusCode status) =>
        new(_ => new HttpResponseMessage(status) { Content = new StringContent("{\"code\":20404}") });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(answer(request));
    }
}
