// camera: where the phone's browser has the BarcodeDetector API, the camera
// reads waybills too; the number goes into the scan field as a scanner
// would type it. Elsewhere the button stays hidden and typing or a
// handheld scanner does the work.
const $ = (id) => document.getElementById(id);

export function mountCamera(onCode) {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  $("camera-box").hidden = false;
  let stream = null;
  const stop = () => {
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    stream = null;
    $("camera-video").hidden = true;
  };
  $("camera").addEventListener("click", async () => {
    if (stream) { stop(); return; }
    try {
      const detector = new window.BarcodeDetector();
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
    } catch (e) { stop(); }
  });
}
