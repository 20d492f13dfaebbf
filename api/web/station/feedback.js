// feedback: a keeper with eyes on the parcel hears and feels the answer: one
// short high beep and a short buzz on accept, two low beeps and a long buzz
// on refusal.
let audio = null;

function beep(freq, ms, at = 0) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    const start = audio.currentTime + at / 1000;
    osc.start(start);
    osc.stop(start + ms / 1000);
  } catch (e) { /* no audio on this device: the screen still says it */ }
}

const buzz = (pattern) => { if (navigator.vibrate) navigator.vibrate(pattern); };

export function accepted() { beep(1320, 90); buzz(60); }
export function refused() { beep(330, 160); beep(260, 220, 220); buzz([220, 90, 220]); }
