using System.Buffers.Binary;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>A finished &lt;Dial record&gt; recording; its audio is made on request (<see cref="Wav"/>).</summary>
internal sealed record SimulatedRecording(string Sid, string AccountSid, string CallSid, int DurationSeconds, int Channels)
{
    public const int SampleRate = 8000;

    /// <summary>Audio is capped so that a long simulated call still gives a small file.</summary>
    public const int MaxAudioSeconds = 60;

    /// <summary>
    /// A valid WAV file (RIFF, PCM, 16-bit, 8 kHz like Twilio's recordings) of the recording's length: a quiet 440 Hz
    /// tone, so a person playing it hears that playback works.
    /// </summary>
    public byte[] Wav()
    {
        var seconds = Math.Clamp(DurationSeconds, 1, MaxAudioSeconds);
        var frames = seconds * SampleRate;
        const int bytesPerSample = 2;
        var blockAlign = Channels * bytesPerSample;
        var dataLength = frames * blockAlign;
        var wav = new byte[44 + dataLength];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataLength);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], (short)Channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], bytesPerSample * 8);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataLength);
        for (var i = 0; i < frames; i++)
        {
            var sample = (short)(2000 * Math.Sin(2 * Math.PI * 440 * i / SampleRate));
            for (var c = 0; c < Channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (i * blockAlign) + (c * bytesPerSample))..], sample);
            }
        }

        return wav;
    }
}
