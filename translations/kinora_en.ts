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
    <name>kinora::ui::BinCardDelegate</name>
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
    <name>kinora::ui::ClipActions</name>
    <message>
        <source>Move the playhead over a clip: its picture there starts the new clip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a clip on the timeline first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place “%1” on the timeline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::ClipJobDialog</name>
    <message>
        <source>Inpaint Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interpolate Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extend Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image to Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n frame(s) at %2 fps</source>
        <translation>
            <numerusform>%1 — %n frame at %2 fps</numerusform>
            <numerusform>%1 — %n frames at %2 fps</numerusform>
        </translation>
    </message>
    <message>
        <source>Auto (optical flow on footage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optical flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diffusion (the model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By a &amp;factor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To a frame &amp;rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to paint in (diffusion only; optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happens next (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Prompt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The result becomes a new take on the track above the clip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Makes %n frame(s) at %1 fps.</source>
        <translation>
            <numerusform>Makes %n frame at %1 fps.</numerusform>
            <numerusform>Makes %n frames at %1 fps.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Makes the clip %n frame(s) long: its frames, then new ones from the model.</source>
        <translation>
            <numerusform>Makes the clip %n frame long: its frames, then new ones from the model.</numerusform>
            <numerusform>Makes the clip %n frames long: its frames, then new ones from the model.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Repaints the masked area of all %n frame(s); pixels outside the mask stay as they are.</source>
        <translation>
            <numerusform>Repaints the masked area of all %n frame; pixels outside the mask stay as they are.</numerusform>
            <numerusform>Repaints the masked area of all %n frames; pixels outside the mask stay as they are.</numerusform>
        </translation>
    </message>
    <message>
        <source>Makes a clip that starts from the frame under the playhead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto uses optical flow on footage and says so when the job is done.</source>
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
    <message>
        <source>Mix in the timeline&apos;s sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole timeline (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In to out (%1 – %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cut&apos;s (%1x%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1x%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The take&apos;s (%1 fps)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timeline&apos;s (%1 fps)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No clip in this range has sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is nothing to export: put clips on the timeline or make a take first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The in and out points hold no frame of the timeline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, with sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, no sound</source>
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
    <message>
        <source>frame %1/%2</source>
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
        <source>Ctrl+E</source>
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
    <message>
        <source>Bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready. Type a prompt and press Ctrl+Enter, or drop footage on the window to edit it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported “%1”. Drag it from the bin onto the timeline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 (Show in Folder from the queue&apos;s menu)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (method: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timeline cannot be exported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to export yet: put clips on the timeline, or select a take in the bin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the timeline → %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import footage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a folder of numbered images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has no frames to place yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play / Pause	Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play Backwards (faster each time)	J</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop	K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play Forwards (faster each time)	L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark In	I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark Out	O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear In and Out	Alt+X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import Footage…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video files and images; you can also drop them on the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Image &amp;Sequence Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the timeline, its in-to-out range, or the selected take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Selected &amp;Take…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a take in the bin to export it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inpaint Masked Area…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repaint what the selected clip&apos;s mask covers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raise the &amp;Frame Rate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make in-between frames for the selected clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xtend Clip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the selected clip with the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image to &amp;Video from the Playhead…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+G</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a clip that starts from the picture under the playhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paint &amp;Mask	M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paint what to regenerate on the selected clip, in the viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add Bin Item to the Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a clip or a take in the bin first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::MaskEditor</name>
    <message>
        <source>Erase mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paint mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete mask keyframe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask “%1” cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask “%1” holds no frames.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask is %1 and the frames are %2: it was resized (nearest).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask has %1 frames and the clip %2: the first %2 were used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask has %1 frames and the clip %2: the rest keep their masks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the playhead onto the selected clip to import one image as its mask there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the mask “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n mask frame(s).</source>
        <translation>
            <numerusform>Imported %n mask frame.</numerusform>
            <numerusform>Imported %n mask frames.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exporting %n mask(s)…</source>
        <translation>
            <numerusform>Exporting %n mask…</numerusform>
            <numerusform>Exporting %n masks…</numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled: no masks were left behind.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n mask(s) to %1.</source>
        <translation>
            <numerusform>Exported %n mask to %1.</numerusform>
            <numerusform>Exported %n masks to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kinora::ui::MaskKeyRow</name>
    <message>
        <source>Mask keyframes of the selected clip (click to go to a frame)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::MaskToolsBar</name>
    <message>
        <source>Brush (B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eraser (E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brush size in the footage&apos;s pixels ([ and ])</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Hardness </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardness: how sharp the brush&apos;s edge is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Opacity </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay opacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Onion skin: the previous frame&apos;s mask in orange, the next one&apos;s in blue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invert the mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask the whole frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous mask keyframe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next mask keyframe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this mask keyframe (the frame goes back to the in-between mask)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the clip&apos;s masks as PNG images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame %1 · keyframe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame %1 · painting here makes it a keyframe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask Video or Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of Numbered Mask Images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a Mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Masks (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.mp4 *.mov *.mkv *.avi *.webm);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a Folder of Mask Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Masks to a Folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::MediaCommands</name>
    <message>
        <source>Import “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename “%1”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::MediaImporter</name>
    <message>
        <source>“%1” was not imported: the project was closed first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Media (*.mp4 *.mov *.m4v *.mkv *.webm *.avi *.mxf *.mpg *.mpeg *.ts *.y4m *.gif *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.exr);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be imported: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be imported: it holds no video frames.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is an empty folder: there is nothing in it to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” holds no numbered images (such as frame0000.png) to import as an image sequence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The images in “%1” have a % in their names, which an image sequence cannot: rename them without it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image sequence in “%1” starts at %2, not 0: Kinora reads sequences numbered from 0, so rename its first image to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be imported: it does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be imported: it cannot be read (permissions).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be imported: it is empty (0 bytes).</source>
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
    <message>
        <source>Still</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 fps (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
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
    <message>
        <source>Drop footage here or press Ctrl+I to import; takes you make appear here too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from project</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TimelineCommands</name>
    <message>
        <source>Move clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trim clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add “%1” to the timeline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TimelinePainter</name>
    <message>
        <source>Drag takes or media here from the bin</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TimelinePanel</name>
    <message>
        <source>Zoom out (-)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (+)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom (Ctrl+wheel over the timeline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit the whole timeline in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snap to clip edges, the playhead and in/out points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split the clip at the playhead (S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected clip (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playhead / duration (hours:minutes:seconds:frames)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::TimelineView</name>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag clips to move them, their edges to trim; S splits at the playhead, I and O mark in and out, Ctrl+wheel zooms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::ViewerCanvas</name>
    <message>
        <source>Viewer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::ViewerPanel</name>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View the cut at the playhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View the bin item opened last by itself (Escape: back to the timeline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cut at the playhead shows here.

Import footage (Ctrl+I, or drop files on the window) and drag it from the bin onto the timeline — or type a prompt and press Ctrl+Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paint masks on the selected clip (M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a clip on the timeline to paint its masks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected clip&apos;s source is no longer in the project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the playhead onto the selected clip to paint its mask.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The size of “%1” is not known yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kinora::ui::ViewerTransportBar</name>
    <message>
        <source>Go to the start (Home)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous frame (Left; Shift: one second)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next frame (Right; Shift: one second)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the end (End)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the in point here (I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the out point here (O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playhead / duration (hours:minutes:seconds:frames)</source>
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
</context>
</TS>
