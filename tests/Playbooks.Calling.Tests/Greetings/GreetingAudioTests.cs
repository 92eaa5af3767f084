using System.Buffers.Binary;
using Playbooks.Calling.Greetings;

namespace Playbooks.Calling.Tests.Greetings;

public class GreetingAudioTests
{
    /// <summary>A WAV file: "RIFF", "WAVE", a "fmt " chunk (format tag, channels, rate), optional extra chunks, then "data".</summary>
    internal static byte[] Wav(double seconds, int sampleRate = 8000, short format = 1, short bitsPerSample = 16, bool extraChunk = false)
    {
        var bytesPerSample = bitsPerSample / 8;
        var data = new byte[(int)(seconds * sampleRate) * bytesPerSample];
        var list = extraChunk ? "LIST"u8.ToArray().Concat(BitConverter.GetBytes(4)).Concat("INFO"u8.ToArray()).ToArray() : [];
        var header = new byte[36];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 28 + list.Length + 8 + data.Length);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), format);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sampleRate * bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), (short)bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), bitsPerSample);
        var dataHeader = "data"u8.ToArray().Concat(BitConverter.GetBytes(data.Length)).ToArray();
        return [.. header, .. list, .. dataHeader, .. data];
    }

    /// <summary>MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz (header FF FB 90 00: 417 bytes, 1152 samples each).</summary>
    internal static byte[] Mp3(int frames, bool id3 = false)
    {
        var frame = new byte[417];
        frame[0] = 0xFF;
        frame[1] = 0xFB;
        frame[2] = 0x90;
        var tag = id3 ? new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 20 }.Concat(new byte[20]).ToArray() : [];
        return [.. tag, .. Enumerable.Repeat(frame, frames).SelectMany(f => f)];
    }

    [Fact]
    public void Inspect_PcmWav_ReadsFormatAndDurationFromTheHeader()
    {
        var info = GreetingAudio.Inspect(Wav(2.5));

        Assert.Equal((AudioInfo.Wav, 2.5, "audio/wav"), (info!.Format, info.DurationSeconds, info.ContentType));
    }

    [Fact]
    public void Inspect_MuLawWavWithAnExtraChunkBeforeData_ReadsTheDataChunk()
    {
        var info = GreetingAudio.Inspect(Wav(3, format: 7, bitsPerSample: 8, extraChunk: true));

        Assert.Equal((AudioInfo.Wav, 3.0), (info!.Format, info.DurationSeconds));
    }

    [Fact]
    public void Inspect_WavOfAnUnplayableFormat_IsNotAudio()
    {
        Assert.Null(GreetingAudio.Inspect(Wav(2, format: 2))); // ADPCM: Twilio does not play it
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Inspect_Mp3Frames_SumsTheFrameDurations(bool id3)
    {
        var info = GreetingAudio.Inspect(Mp3(100, id3));

        Assert.Equal(AudioInfo.Mp3, info!.Format);
        Assert.Equal(100 * 1152 / 44100.0, info.DurationSeconds, 6);
        Assert.Equal("audio/mpeg", info.ContentType);
    }

    [Fact]
    public void Inspect_OneStraySyncWord_IsNotMp3()
    {
        Assert.Null(GreetingAudio.Inspect(Mp3(1).Concat(new byte[500]).ToArray()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello, this is plain text")]
    [InlineData("RIFF\0\0\0\0WAVE")]
    [InlineData("RIFF\u0004\0\0\0WAVEdata\u0004\0\0\0abcd")]
    public void Inspect_NotAudio_ReturnsNull(string text)
    {
        Assert.Null(GreetingAudio.Inspect(System.Text.Encoding.Latin1.GetBytes(text)));
    }
}
