# Bench workload (run.sh -w) that runs kmemsim-capture inside the guest.  Sourced by the bench's
# /init with its own tracing on; /init then prints every file under $O (=/out) between its console
# markers and tars them (the .bin ones too) to its output disk, so the bundle written to
# $O/capture comes out as OUTDIR/capture/.  CaptureBenchTest puts the shipped script where the
# @KMEMSIM_CAPTURE_SCRIPT@ line is.
cat > /tmp/kmemsim-capture <<'KMEMSIM_CAPTURE_EOF'
@KMEMSIM_CAPTURE_SCRIPT@
KMEMSIM_CAPTURE_EOF
mark "phase capture_begin"
sh /tmp/kmemsim-capture -o $O/capture -c -K -b 8192 -- sh -c '
    dd if=/dev/zero of=/dev/shm/kc bs=1M count=8 2>/dev/null
    cat /dev/shm/kc > /dev/null
    i=0; while [ $i -lt 64 ]; do echo "file $i" > /dev/shm/kf$i; i=$((i+1)); done
    rm -f /dev/shm/kc /dev/shm/kf*
' > $O/capture_run.txt 2>&1
echo "$?" > $O/capture_status.txt
mark "phase capture_end"
