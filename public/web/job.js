// A job's page, live (src/routes/web/merchant/job-progress.tsx): follows the job's stream, moves the bar
// and its count in place, and when the job ends swaps in the page's fresh box (its result and links).
// Milestones are announced; ticks are not.
const box = document.querySelector("[data-job-live]");
if (box) {
  const said = document.querySelector("[data-job-milestone]");
  const { jobUnit: unit, jobNoun: noun } = box.dataset;
  const n = new Intl.NumberFormat("en-US").format;
  const STATUS = {
    queued: ["Waiting to start", "info"],
    running: ["Running", "info", "running"],
    succeeded: ["Done", "ok", "done"],
    failed: ["Failed", "danger", "failed"],
  };
  const countText = ({ status, progress: { processed, total, failed } }) => {
    if (total === null) return status === "queued" ? "Waiting for its turn" : `Counting the ${unit}…`;
    return `${n(processed)} of ${n(total)} ${unit}${failed > 0 ? ` · ${n(failed)} rejected` : ""}`;
  };
  const source = new EventSource(box.dataset.jobLive);
  source.addEventListener("job", async (event) => {
    const job = JSON.parse(event.data);
    const bar = box.querySelector("progress");
    if (job.progress.total !== null) {
      bar.max = Math.max(job.progress.total, 1);
      bar.value = job.progress.processed;
    }
    box.querySelector("#job-count").textContent = countText(job);
    if (job.status === box.dataset.jobStatus) return;
    box.dataset.jobStatus = job.status;
    const [word, tone, milestone] = STATUS[job.status];
    const badge = box.querySelector(".badge");
    badge.textContent = word;
    badge.className = `badge ${tone}`;
    if (job.status === "succeeded" || job.status === "failed") {
      source.close();
      bar.max = bar.value = Math.max(job.progress.total ?? 1, 1);
      await showEnd();
    }
    if (milestone) said.textContent = `${noun} ${milestone}: ${countText(job)}.`;
  });

  // The page as the server now renders it holds the result in the same words as a reload would.
  async function showEnd() {
    try {
      const res = await fetch(location.href, { headers: { accept: "text/html" } });
      const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
      const end = fresh.querySelector(".job-box");
      if (res.ok && end) box.replaceWith(end);
    } catch {
      // Offline for a moment: the bar shows the end, and the Refresh link brings the rest.
    }
  }
}
