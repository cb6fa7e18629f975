<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>GenerateRequests</name>
    <message>
        <source>Pick the first frame&apos;s image first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the take to extend in the takes bin.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Kinora projects (*.kinora)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::AboutDialog</name>
    <message>
        <source>About Kinora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Kinora %1&lt;/h2&gt;&lt;p&gt;Make video with diffusion models: generate clips from text, inpaint footage, raise its frame rate.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Device&lt;/td&gt;&lt;td&gt;&amp;nbsp;%2 (%3)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;&amp;nbsp;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;FFmpeg&lt;/td&gt;&lt;td&gt;&amp;nbsp;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;OpenCV&lt;/td&gt;&lt;td&gt;&amp;nbsp;%6&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::ExportDialog</name>
    <message>
        <source>H.264 MP4 (.mp4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>H.265 MP4 (.mp4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ProRes 422 HQ (.mov)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ProRes 4444 (.mov)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNxHR HQ (.mov)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VP9 WebM (.webm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AV1 (.mp4 or .mkv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GIF (.gif)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG sequence (folder of NAME_0000.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FFV1 lossless (.mkv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original (%1x%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1x (%2x%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pixelated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smooth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pixelated keeps every pixel a sharp square; smooth blends them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality (CRF):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Constant rate factor: lower is better quality and a larger file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lower is better (%1 is the preset&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has a fixed quality: there is nothing to set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fixed by the format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the frames into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (*.%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to save the export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PNG sequence needs a file name with a frame number, such as NAME_%04d.png.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is written to .%2 files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNxHR needs frames of at least %1x%2; these are %3x%4. Choose a larger size, or ProRes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n frame(s), %1x%2, %3 fps, %4</source>
        <translation>
            <numerusform>%n frame, %1x%2, %3 fps, %4</numerusform>
            <numerusform>%n frames, %1x%2, %3 fps, %4</numerusform>
        </translation>
    </message>
    <message>
        <source>Replace?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::JobDelegate</name>
    <message>
        <source>about %1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::MainWindow</name>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] — Kinora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a prompt and press Ctrl+Enter to make a clip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export Take…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the take selected in the takes bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a take in the takes bin to export it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel Running Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel &amp;Queued Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Kinora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A job failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled. Nothing was kept of that take.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot generate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Queued %n take(s)</source>
        <translation>
            <numerusform>Queued %n take</numerusform>
            <numerusform>Queued %n takes</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot make the take again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take “%1” done in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export “%1” → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue waiting jobs?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) were still waiting when this project was closed. Queue them again?</source>
        <translation>
            <numerusform>%n job was still waiting when this project was closed. Queue them again?</numerusform>
            <numerusform>%n jobs were still waiting when this project was closed. Queue them again?</numerusform>
        </translation>
    </message>
    <message>
        <source>A waiting job could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running job?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A job is running. Stop it and close Kinora?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::PreviewPanel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous frame (Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next frame (Right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How small clips are scaled up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smooth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pixelated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decoded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cheap preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1/%2 · window %3/%4 · %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1/%2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · window %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · about %1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · about %1 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has no frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n frame(s) at %2 fps</source>
        <translation>
            <numerusform>%1 · %n frame at %2 fps</numerusform>
            <numerusform>%1 · %n frames at %2 fps</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot play “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot play “%1”: no frames at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>– / –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::ProjectController</name>
    <message>
        <source>Open Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save changes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project “%1” has changes that are not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an untitled project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the project “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover your work?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Kinora did not close properly. It kept %1 with %n take(s), autosaved %2.</source>
        <translation>
            <numerusform>Kinora did not close properly. It kept %1 with %n take, autosaved %2.</numerusform>
            <numerusform>Kinora did not close properly. It kept %1 with %n takes, autosaved %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Recover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Recovered %n take(s)</source>
        <translation>
            <numerusform>Recovered %n take</numerusform>
            <numerusform>Recovered %n takes</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot recover the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] — Kinora</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::PromptPanel</name>
    <message>
        <source>Describe the clip: a yellow star moving left on a blue background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to avoid (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate takes from this prompt (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search past prompts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avoid:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::QueuePanel</name>
    <message>
        <source>No jobs yet — press Ctrl+Enter to generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel now: stop the selected job, or the running one when nothing is selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel queued: stop after the running take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected jobs from the list (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove every done, failed and cancelled job from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to Top</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::SettingsPanel</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a model pack folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a model pack folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a model pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a Kinora model pack:

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About this model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text to video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image to video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extend selected take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clip&apos;s first frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a take in the bin first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many frames to add after the take&apos;s last frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Height</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denoising steps: more is slower and usually cleaner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How strongly the clip follows the prompt (and avoids the negative prompt). 1 = no guidance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same prompt, settings and seed make the same take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock the seed: queued takes keep it instead of drawing a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new random seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many takes to queue, on consecutive seeds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA when this machine has a GPU, else the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No CUDA GPU is available to this build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bf16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bf16 on CUDA, fp32 on the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model pack found: add a pack folder with the folder button next to Pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model pack “%1” cannot be used: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The seed must be a whole number from 0 to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a take in the bin first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick the image for the first frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image %1 is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, %3)
%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TakeCardDelegate</name>
    <message>
        <source>No frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · seed %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TakeCommands</name>
    <message>
        <source>Delete take “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename take “%1”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TakesModel</name>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1×%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TakesPanel</name>
    <message>
        <source>Request of “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes you make appear here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a variation (new seed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show request…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
