// camera: where the phone's browser has the BarcodeDetector API and it
// reads Code 128 (the waybills' 1-D barcode), the camera reads waybills too;
// the number goes into the scan field as a scanner would type it.
// Elsewhere (desktop Linux Chromium, Firefox, iOS Safari before 17, any page
// on plain http, where there is no camera access) the button stays hidden
// and typing or a handheld scanner does the work. A refused camera
// permission says so under the button instead of failing silently.
import { t } from "../shell/i18n.js";

const $ = (id) => document.getElementById(id);

/** cameraUsable answers whether this browser can read Code 128 from the camera. */
export async function cameraUsable() {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return false;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes("code_128");
  } catch (e) {
    return false;
  }
}

export async function mountCamera(onCode) {
  const box = $("camera-box");
  box.dataset.usable = "no";
  if (!(await cameraUsable())) return;
  box.dataset.usable = "yes";
  box.hidden = false;
  let stream = null;
  const stop = () => {
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    stream = null;
    $("camera-video").hidden = true;
  };
  $("camera").addEventListener("click", async () => {
    if (stream) { stop(); return; }
    $("camera-msg").textContent = "";
    try {
      const detector = new window.BarcodeDetector({ formats: ["code_128", "qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      const video = $("camera-video");
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      const look = async () => {
        if (!stream) return;
        const found = await detector.detect(video).catch(() => []);
        if (found.length > 0) { stop(); onCode(found[0].rawValue); return; }
        requestAnimationFrame(look);
      };
      look();
    } catch (e) {
      stop();
      $("camera-msg").textContent = t("checkin.camera_denied");
    }
  });
}
