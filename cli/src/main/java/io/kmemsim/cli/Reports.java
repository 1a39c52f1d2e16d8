package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code report.html} into a results directory for the {@code --report} flags. */
final class Reports {

    private Reports() {
    }

    static ReportWriter.Written write(Path resultsDir) {
        return write(List.of(resultsDir), null, resultsDir.resolve(ReportWriter.FILE));
    }

    static ReportWriter.Written write(List<Path> dirs, List<String> labels, Path html) {
        try {
            return ReportWriter.write(dirs, labels, html, null, null);
        } catch (IOException e) {
            throw cannotWrite(html, e);
        }
    }

    /** An output file that cannot be written is the user's to fix (a directory that is not writable, a full disk). */
    static InputException cannotWrite(Path file, IOException e) {
        return new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot be written: " + e.getMessage()));
    }
}
