using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Playbooks.Functions.Http;

/// <summary>
/// The body size cap every function gets, whatever the encoding (Content-Length, chunked or none): bigger bodies are
/// refused with 413 before a function reads past the cap. A function narrows or widens it with [RequestSizeLimit].
/// </summary>
public static class RequestLimits
{
    /// <summary>Our largest JSON body, a quality report with a minute of samples, is about 20 KB.</summary>
    public const long DefaultMaxBodyBytes = 64 * 1024;

    public const string BodyTooLargeCode = "body-too-large";

    public static ProblemResponse BodyTooLarge(long limit) =>
        new(413, BodyTooLargeCode, "Request body too large", $"The request body is larger than {limit / 1024} KB.") { Field = "body" };

    /// <summary>The cap a function declares through <see cref="IRequestSizeLimitMetadata"/>, or the default.</summary>
    public static long For(IEnumerable<object> attributes) =>
        attributes.OfType<IRequestSizeLimitMetadata>().Select(m => m.MaxRequestBodySize).FirstOrDefault(l => l is not null)
        ?? DefaultMaxBodyBytes;

    /// <summary>
    /// The 413 to answer at once when the declared length is over the cap; otherwise caps the body as it is read
    /// (a <see cref="BadHttpRequestException"/> with status 413 beyond it) and returns null.
    /// </summary>
    public static ProblemResponse? Apply(HttpContext http, long limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return BodyTooLarge(limit);
        }

        // The server's own cap where it still can (Kestrel refuses the rest of the upload); the stream cap everywhere.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature
            && (feature.MaxRequestBodySize is null || feature.MaxRequestBodySize > limit))
        {
            feature.MaxRequestBodySize = limit;
        }

        http.Request.Body = new LimitedReadStream(http.Request.Body, limit);
        return null;
    }
}

/// <summary>A read-only view of a body that throws 413 once more than the limit has been read.</summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        return read;
    }
}
