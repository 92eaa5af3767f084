import type { ApiClient } from '../api/client';
import type { DeviceOptions, VoiceDevice } from './voice';

/** The real Twilio Device, or the simulator's stand-in. The SDK is loaded only when it is needed. */
export async function createVoiceDevice(telephony: 'twilio' | 'simulated', token: string, options: DeviceOptions, api: ApiClient): Promise<VoiceDevice> {
  if (telephony === 'simulated') {
    const { SimulatedDevice } = await import('./simulatedDevice');
    return new SimulatedDevice(token, options, { api });
  }
  const { Device } = await import('@twilio/voice-sdk');
  return new Device(token, {
    edge: options.edge,
    codecPreferences: options.codecPreferences as never,
    closeProtection: options.closeProtection,
  }) as unknown as VoiceDevice;
}
