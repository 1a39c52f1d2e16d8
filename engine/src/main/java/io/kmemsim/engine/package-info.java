/** The kmemsim host: user-input errors shared by every part of the engine. */
package io.kmemsim.engine;
