import type { DeviceOs } from "../bindings/DeviceOs";
import type { DeviceState } from "../bindings/DeviceState";
import { t } from "../i18n";

export const OS_LABELS: Record<DeviceOs, string> = {
  windows: "Windows",
  macos: "macOS",
  linux: "Linux",
  android: "Android",
  ios: "iOS",
};

export const STATE_LABELS: Record<DeviceState, string> = { active: t("devices-state-active"), retired: t("devices-state-retired") };

export const OPERATING_SYSTEMS = Object.keys(OS_LABELS) as DeviceOs[];
