using System.Buffers.Binary;

namespace Playbooks.Calling.Greetings;

/// <summary>What the bytes of an uploaded greeting are: WAV or MP3, and how long they play.</summary>
public sealed record AudioInfo(string Format, double DurationSeconds)
{
    public const string Wav = "wav";
    public const string Mp3 = "mp3";

    public string ContentType => Format == Wav ? "audio/wav" : "audio/mpeg";
}

/// <summary>
/// Reads the format and length of an audio file from its bytes, never from its name or declared type: a RIFF/WAVE
/// header with a PCM, A-law or µ-law "fmt " chunk and a "data" chunk, or a run of MPEG audio layer III frames (after an
/// optional ID3v2 tag). Twilio's &lt;Play&gt; plays both.
/// </summary>
public static class GreetingAudio
{
    /// <summary>Frames in a row that must parse before bytes count as MP3, so a stray 0xFFE sync word is not enough.</summary>
    private const int MinMp3Frames = 3;

    // MPEG-1 and MPEG-2/2.5 layer III bit rates (kbit/s) by index; 0 is "free format", 15 is invalid.
    private static readonly int[] Mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] Mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];
    private static readonly int[] Mpeg1SampleRates = [44100, 48000, 32000, 0];

    /// <summary>The format and duration, or null when the bytes are neither a readable WAV nor MP3.</summary>
    public static AudioInfo? Inspect(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WAVE"u8)
            ? InspectWav(bytes)
            : InspectMp3(bytes);

    private static AudioInfo? InspectWav(ReadOnlySpan<byte> bytes)
    {
        int? byteRate = null;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset + 4, 4));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length)
                {
                    return null;
                }

                var format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body, 2));
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 2, 2));
                var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(body + 4, 4));
                var rate = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(body + 8, 4));
                // 1 PCM, 6 A-law, 7 µ-law; 0xFFFE is WAVE_FORMAT_EXTENSIBLE, which browsers and editors write for PCM too.
                if (format is not (1 or 6 or 7 or 0xFFFE) || channels is 0 or > 2 || sampleRate is < 8000 or > 48000 || rate is 0 or > 48000 * 2 * 4)
                {
                    return null;
                }

                byteRate = (int)rate;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate is not { } r)
                {
                    return null;
                }

                // A recorder that could not seek back writes 0 or 0xFFFFFFFF: the data then runs to the end of the file.
                var available = bytes.Length - body;
                var length = size == 0 || size > available ? available : (long)size;
                return length == 0 ? null : new AudioInfo(AudioInfo.Wav, (double)length / r);
            }

            offset = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);
            if (offset < body)
            {
                return null;
            }
        }

        return null;
    }

    private static AudioInfo? InspectMp3(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        if (bytes.Length >= 10 && bytes[..3].SequenceEqual("ID3"u8))
        {
            // ID3v2: a 10-byte header whose size is four 7-bit bytes, plus a 10-byte footer when flagged.
            var tag = (bytes[6] & 0x7F) << 21 | (bytes[7] & 0x7F) << 14 | (bytes[8] & 0x7F) << 7 | (bytes[9] & 0x7F);
            offset = 10 + tag + ((bytes[5] & 0x10) != 0 ? 10 : 0);
        }

        var frames = 0;
        var seconds = 0.0;
        while (offset + 4 <= bytes.Length && Frame(bytes.Slice(offset, 4)) is { } frame)
        {
            if (offset + frame.Length > bytes.Length && frames > 0)
            {
                break; // a truncated last frame
            }

            frames++;
            seconds += (double)frame.Samples / frame.SampleRate;
            offset += frame.Length;
        }

        return frames >= MinMp3Frames ? new AudioInfo(AudioInfo.Mp3, seconds) : null;
    }

    private static (int Length, int Samples, int SampleRate)? Frame(ReadOnlySpan<byte> header)
    {
        if (header[0] != 0xFF || (header[1] & 0xE0) != 0xE0)
        {
            return null;
        }

        var version = (header[1] >> 3) & 0x3; // 0 MPEG-2.5, 2 MPEG-2, 3 MPEG-1
        var layer = (header[1] >> 1) & 0x3; // 1 is layer III
        var bitrateIndex = header[2] >> 4;
        var sampleRateIndex = (header[2] >> 2) & 0x3;
        var padding = (header[2] >> 1) & 0x1;
        if (version == 1 || layer != 1 || sampleRateIndex == 3)
        {
            return null;
        }

        var mpeg1 = version == 3;
        var bitrate = (mpeg1 ? Mpeg1Bitrates : Mpeg2Bitrates)[bitrateIndex] * 1000;
        var sampleRate = Mpeg1SampleRates[sampleRateIndex] >> (version switch { 3 => 0, 2 => 1, _ => 2 });
        if (bitrate == 0)
        {
            return null;
        }

        var samples = mpeg1 ? 1152 : 576;
        var length = samples / 8 * bitrate / sampleRate + padding;
        return length < 4 ? null : (length, samples, sampleRate);
    }
}
