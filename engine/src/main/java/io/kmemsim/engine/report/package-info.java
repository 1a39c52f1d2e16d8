/** The self-contained HTML report of one or more results directories, its figures as SVG and PNG files. */
package io.kmemsim.engine.report;
