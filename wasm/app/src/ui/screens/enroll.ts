// Enrollment: the code from the coordinator (typed, from a link, or scanned).

import { enroll } from "../../api.js";
import { t } from "../../i18n.js";
import { randomHex, type Identity } from "../../session.js";
import { field, formValues, h, toast } from "../dom.js";

export function enrollScreen(onEnrolled: (identity: Identity) => Promise<void>, code = ""): HTMLElement {
  const codeInput = h("input", {
    name: "code", required: true, value: code, autocomplete: "off", autocapitalize: "characters",
    placeholder: "WISH-XXXX-XXXX", "data-testid": "enroll-code", inputmode: "text",
  });
  const form = h(
    "form",
    { class: "card form" },
    h("h1", {}, t("enrollTitle")),
    h("p", { class: "help" }, t("enrollHelp")),
    field(t("enrollCode"), codeInput),
    field(t("deviceName"), h("input", { name: "name", value: t("deviceNameDefault"), "data-testid": "enroll-name" })),
    h("button", { type: "submit", class: "primary big", "data-testid": "enroll-submit" }, t("enrollButton")),
    scanButton(codeInput as HTMLInputElement),
  ) as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = formValues(form);
    try {
      const { token, device } = await enroll(String(values.code), String(values.name));
      await onEnrolled({ token, device, peerId: `tablet-${device.device_id}-${randomHex(4)}`, storageId: randomHex(16) });
    } catch (error) {
      toast(`${t("enrollFailed")}: ${(error as Error).message}`, "error");
    }
  });
  return h("main", { class: "screen narrow" }, form);
}

/** A scan button where the browser can read QR codes from the camera. */
function scanButton(input: HTMLInputElement): HTMLElement | null {
  const Detector = (window as unknown as { BarcodeDetector?: new (o: object) => { detect(v: HTMLVideoElement): Promise<{ rawValue: string }[]> } }).BarcodeDetector;
  if (!Detector || !navigator.mediaDevices) return null;
  const button = h("button", { type: "button", class: "big" }, t("scanButton"));
  button.addEventListener("click", async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    const video = h("video", { class: "scanner", autoplay: true, playsinline: true }) as HTMLVideoElement;
    video.srcObject = stream;
    button.replaceWith(video);
    const detector = new Detector({ formats: ["qr_code"] });
    const look = async () => {
      const codes = await detector.detect(video).catch(() => []);
      const found = codes.map((c) => c.rawValue.match(/WISH-[A-Z0-9]{4}-[A-Z0-9]{4}/)?.[0]).find(Boolean);
      if (found) {
        input.value = found;
        stream.getTracks().forEach((track) => track.stop());
        video.replaceWith(button);
      } else {
        requestAnimationFrame(look);
      }
    };
    void look();
  });
  return button;
}
