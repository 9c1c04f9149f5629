// omem web UI: the few things plain forms cannot do. Loaded as a module from /ui/static (the
// Content-Security-Policy allows no inline script). Every page works without it except the
// import's upload, which needs it to show progress.

const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

// Review: "Select all" ticks every candidate.
const all = document.getElementById('select-all');
if (all) {
  all.addEventListener('change', () => {
    for (const box of document.querySelectorAll('input[name="ids"]')) box.checked = all.checked;
  });
}

// Imports: send the file's bytes, show the upload's progress, then the import's own.
const form = document.getElementById('import-form');
if (form) {
  const bar = document.getElementById('import-progress');
  const status = document.getElementById('import-status');
  const say = (text) => { status.textContent = text; };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) return;
    const type = form.elements.type.value;
    const url = `/ui/imports/upload?name=${encodeURIComponent(file.name)}` +
      (type ? `&type=${encodeURIComponent(type)}` : '');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((50 * e.loaded) / e.total);
        say(`Uploading: ${Math.round((100 * e.loaded) / e.total)}%`);
      }
    });
    xhr.addEventListener('load', () => {
      if (xhr.status !== 202) {
        let why = xhr.responseText.slice(0, 300);
        try { why = JSON.parse(xhr.responseText).error.message; } catch { /* not JSON */ }
        say(`Not imported: ${why}`);
        return;
      }
      follow(JSON.parse(xhr.responseText));
    });
    xhr.addEventListener('error', () => say('Not imported: the upload failed.'));
    say('Uploading…');
    xhr.send(file);
  });

  const follow = async (rec) => {
    for (;;) {
      const total = rec.total_items || 1;
      bar.value = 50 + Math.round((50 * rec.processed) / total);
      say(`Importing ${rec.file_name ?? ''}: ${rec.processed} of ${rec.total_items} items, ` +
        `${rec.imported} imported, ${rec.skipped} skipped (${rec.status})`);
      if (rec.status !== 'running') {
        bar.value = 100;
        setTimeout(() => window.location.assign('/ui/imports'), 1500);
        return;
      }
      await new Promise((r) => setTimeout(r, 300));
      const res = await fetch(`/ui/imports/progress?id=${encodeURIComponent(rec.id)}`);
      rec = await res.json();
    }
  };
}
